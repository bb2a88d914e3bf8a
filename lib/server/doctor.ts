/**
 * `factory doctor`: what this machine has for running models, building llama-server, generating
 * the test model and sandboxing programs; for each missing piece, the command that fixes it.
 * Gathering only; {@linkcode formatDoctor} in `format_doctor.ts` turns the report into lines.
 *
 * @module
 */

import { type RunCommand, runCommand } from "../host/command.ts";
import { type Which, which as realWhich } from "../host/find_tool.ts";
import type { EngineName, SpeculativeChoice, SpeculativeMode } from "../types.ts";
import { ConfigError } from "../errors.ts";
import { resolveEngine } from "./engines/select.ts";
import { llamaInfo } from "./provision_llama.ts";
import { cacheRoot, type EnvReader, realEnv } from "../host/cache_paths.ts";
import { join } from "node:path";
import { modelPaths, modelsDir } from "../models/model_paths.ts";
import { defaultCatalog, draftModelOf } from "../models/catalog.ts";
import { speculativeModeFor } from "./speculation.ts";
import { TINY_MODEL_FILE } from "./tiny_model.ts";
import { exists } from "./llama_source.ts";
import { describe, detectIsolation } from "../sandbox/sandbox_mode.ts";

/** Whether one piece is there. */
export type Presence =
  | { kind: "found"; detail: string }
  | { kind: "missing"; detail: string; fix: string }
  | { kind: "not_applicable"; reason: string };

/** One piece the doctor looked for. */
export interface DoctorItem {
  /** `llama-server`, `cmake`, `numpy`, … */
  name: string;
  /** What factory needs it for. */
  purpose: string;
  /** True when factory cannot run models on this machine without it. */
  required: boolean;
  /** Whether it was found (and what), missing (and how to fix it), or does not apply here. */
  presence: Presence;
}

/** Everything the doctor found. */
export interface DoctorReport {
  /** The operating system looked at (`linux`, `darwin`, ...). */
  os: string;
  /** The CPU architecture looked at (`x86_64`, `aarch64`). */
  arch: string;
  /** What `engine: auto` picks here. */
  autoEngine: EngineName;
  /** `server.speculative` as configured, and the mode it means on the `auto` engine (or why none). */
  speculative:
    | { choice: SpeculativeChoice; kind: "mode"; mode: SpeculativeMode }
    | { choice: SpeculativeChoice; kind: "invalid"; problem: string };
  /** Every piece looked for, in report order. */
  items: DoctorItem[];
}

/** Options of {@linkcode doctor}. */
export interface DoctorOptions {
  /** The cache root, where llama.cpp builds and the tiny model are looked for. @default {cacheRoot()} */
  root?: string;
  /** Reads environment variables, such as those locating the cache root. @default {the real environment} */
  env?: EnvReader;
  /** The operating system to report on. @default {Deno.build.os} */
  os?: string;
  /** The CPU architecture to report on. @default {Deno.build.arch} */
  arch?: string;
  /** Finds programs on PATH (injectable for tests). @default {which on the real PATH} */
  which?: Which;
  /** Runs helper programs such as `python3 --version` (for tests). @default {the real runCommand} */
  run?: RunCommand;
  /** The Deno version to report. @default {Deno.version.deno} */
  denoVersion?: string;
  /** The Python interpreter to look at, a name on PATH or a path. @default {"python3"} */
  python?: string;
  /** `server.speculative` as configured (factory.yaml). @default {"auto"} */
  speculative?: SpeculativeChoice;
}

/** Looks at this machine. Never throws for a missing piece: that is what the report is for. */
export async function doctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  const os = options.os ?? Deno.build.os;
  const arch = options.arch ?? Deno.build.arch;
  const which = options.which ?? realWhich;
  const run = options.run ?? runCommand;
  const python = options.python ?? "python3";
  const mlx = os === "darwin" && arch === "aarch64" ? await pythonImports(run, python, "mlx_lm") : undefined;
  const autoEngine = await resolveEngine("auto", {
    os,
    arch,
    canImportMlx: () => Promise.resolve(mlx === true),
  });
  const root = options.root ?? cacheRoot(options.env ?? realEnv);
  const speculative = speculativeOf(options.speculative ?? "auto", autoEngine);
  const items: DoctorItem[] = [
    await llamaItem(options, root, autoEngine === "llama.cpp"),
    ...await buildToolItems(which, os),
    mlxItem(mlx, os, arch, python),
    await ollamaItem(which, run, os),
    await pythonItem(run, python, os),
    numpyItem(await pythonImports(run, python, "numpy"), python),
    {
      name: "deno",
      purpose: "runs factory",
      required: true,
      presence: found(options.denoVersion ?? Deno.version.deno),
    },
    await sandboxItem(which, os, run),
    await tinyModelItem(root),
    await draftModelItem(root, speculative.kind === "mode" && speculative.mode === "draft"),
  ];
  return { os, arch, autoEngine, speculative, items };
}

function speculativeOf(choice: SpeculativeChoice, engine: EngineName): DoctorReport["speculative"] {
  try {
    return { choice, kind: "mode", mode: speculativeModeFor(choice, engine) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { choice, kind: "invalid", problem: error.message };
  }
}

function found(detail: string): Presence {
  return { kind: "found", detail };
}

function install(os: string, debian: string, brew: string): string {
  return os === "darwin" ? `brew install ${brew}` : `sudo apt-get install ${debian}`;
}

async function llamaItem(options: DoctorOptions, root: string, required: boolean): Promise<DoctorItem> {
  const info = await llamaInfo({ root, env: options.env, which: options.which, run: options.run });
  const purpose = "the llama.cpp engine";
  if (info.kind === "found") {
    const version = info.version ? `, ${info.version}` : "";
    return {
      name: "llama-server",
      purpose,
      required,
      presence: found(`${info.path} (${info.source}${version})`),
    };
  }
  const fix = "factory engine install   # builds llama-server from source, about 6 min on 2 cores";
  return { name: "llama-server", purpose, required, presence: { kind: "missing", detail: info.reason, fix } };
}

async function buildToolItems(which: Which, os: string): Promise<DoctorItem[]> {
  const purpose = "building llama-server";
  const tools: [string, string[], string][] = [
    ["cmake", ["cmake"], install(os, "cmake", "cmake")],
    [
      "c++ compiler",
      ["c++", "g++", "clang++"],
      os === "darwin" ? "xcode-select --install" : install(os, "g++", ""),
    ],
    ["git", ["git"], install(os, "git", "git")],
    ["npm", ["npm"], install(os, "npm", "node")],
  ];
  const items: DoctorItem[] = [];
  for (const [name, programs, fix] of tools) {
    let path: string | undefined;
    for (const program of programs) path ??= await which(program);
    const presence: Presence = path ? found(path) : { kind: "missing", detail: "not on PATH", fix };
    items.push({ name, purpose, required: false, presence });
  }
  return items;
}

function mlxItem(imports: boolean | undefined, os: string, arch: string, python: string): DoctorItem {
  const base = { name: "mlx_lm", purpose: "the mlx engine (Apple Silicon)", required: false };
  if (imports === undefined) {
    return {
      ...base,
      presence: { kind: "not_applicable", reason: `needs macOS on Apple Silicon, this is ${os} ${arch}` },
    };
  }
  if (imports) return { ...base, presence: found(`${python} imports mlx_lm`) };
  const fix = `${python} -m pip install mlx-lm`;
  return { ...base, presence: { kind: "missing", detail: `${python} cannot import mlx_lm`, fix } };
}

async function ollamaItem(which: Which, run: RunCommand, os: string): Promise<DoctorItem> {
  const base = { name: "ollama", purpose: "the ollama engine", required: false };
  const path = await which("ollama");
  if (!path) {
    const fix = os === "darwin" ? "brew install ollama" : "curl -fsSL https://ollama.com/install.sh | sh";
    return { ...base, presence: { kind: "missing", detail: "not on PATH", fix } };
  }
  const version = await run(path, ["--version"]);
  const detail = version.kind === "exited" ? version.stdout.trim().split("\n").at(-1) ?? "" : "";
  return { ...base, presence: found(detail ? `${path} (${detail})` : path) };
}

async function pythonItem(run: RunCommand, python: string, os: string): Promise<DoctorItem> {
  const base = { name: python, purpose: "generating the test model; Python tasks", required: false };
  const result = await run(python, ["--version"]);
  if (result.kind === "exited" && result.code === 0) {
    return { ...base, presence: found(`${result.stdout}${result.stderr}`.trim()) };
  }
  return {
    ...base,
    presence: { kind: "missing", detail: "not found", fix: install(os, "python3", "python") },
  };
}

function numpyItem(imports: boolean, python: string): DoctorItem {
  const base = { name: "numpy", purpose: "generating the test model (gguf-py)", required: false };
  if (imports) return { ...base, presence: found(`${python} imports numpy`) };
  const fix = `${python} -m pip install numpy`;
  return { ...base, presence: { kind: "missing", detail: `${python} cannot import numpy`, fix } };
}

async function sandboxItem(which: Which, os: string, run: RunCommand): Promise<DoctorItem> {
  const name = os === "darwin" ? "sandbox-exec" : "bwrap";
  const base = { name, purpose: "sandboxing generated programs", required: false };
  if (os !== "linux" && os !== "darwin") {
    return { ...base, presence: { kind: "not_applicable", reason: `no sandbox tool is known for ${os}` } };
  }
  const path = await which(name);
  const fix = os === "darwin" ? "sandbox-exec ships with macOS" : "sudo apt-get install bubblewrap";
  if (!path) return { ...base, presence: { kind: "missing", detail: "not on PATH", fix } };
  if (os === "darwin") return { ...base, presence: found(path) };
  // Found is not enough: bwrap must be able to create the namespaces (AppArmor may forbid it).
  const isolation = await detectIsolation({
    os,
    find: async (program) => (await which(program)) ?? null,
    run: async (command, args) => {
      const result = await run(command, args);
      return result.kind === "exited" ? result : { code: 127, stderr: `${command} was not found` };
    },
  });
  if (isolation.kind !== "none") return { ...base, presence: found(`${path} (${describe(isolation)})`) };
  const repair = /util-linux/.test(isolation.reason)
    ? "sudo apt-get install util-linux"
    : "sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0   # Ubuntu 24.04+, see SECURITY.md";
  return { ...base, presence: { kind: "missing", detail: isolation.reason, fix: repair } };
}

async function tinyModelItem(root: string): Promise<DoctorItem> {
  const path = join(modelsDir(root), TINY_MODEL_FILE);
  const base = { name: "tiny model", purpose: "the test suite's real-engine tests", required: false };
  if (await exists(path)) return { ...base, presence: found(path) };
  return {
    ...base,
    presence: { kind: "missing", detail: `${path} not generated`, fix: "deno run -A tools/provision.ts" },
  };
}

/** The catalog's draft model of the default model (for `server.speculative: draft`), when it has one. */
async function draftModelItem(root: string, required: boolean): Promise<DoctorItem> {
  const catalog = defaultCatalog();
  const draft = draftModelOf(catalog, catalog.default);
  const base = { name: "draft model", purpose: "server.speculative: draft", required };
  if (!draft) return { ...base, presence: { kind: "not_applicable", reason: "the catalog names none" } };
  const path = modelPaths(draft.name, root).file;
  if (await exists(path)) return { ...base, presence: found(path) };
  const fix = `deno run -A cli.ts model fetch ${draft.name}   # about ${
    Math.round(draft.file.size / 1e6)
  } MB`;
  return { ...base, presence: { kind: "missing", detail: `${draft.name} not fetched`, fix } };
}

async function pythonImports(run: RunCommand, python: string, module: string): Promise<boolean> {
  const result = await run(python, ["-c", `import ${module}`]);
  return result.kind === "exited" && result.code === 0;
}
