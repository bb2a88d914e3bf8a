/**
 * `factory doctor`: what this machine has for running models, building llama-server, installing
 * mlx, generating the test models and sandboxing programs; for each missing piece, the command that fixes it.
 * Gathering only; {@linkcode formatDoctor} in `format_doctor.ts` turns the report into lines.
 *
 * @module
 */

import { type RunCommand, runCommand } from "../host/command.ts";
import { type Which, which as realWhich } from "../host/find_tool.ts";
import type { EngineChoice, EngineName, SpeculativeChoice, SpeculativeMode } from "../types.ts";
import { ConfigError } from "../errors.ts";
import { resolveEngine } from "./engines/select.ts";
import { llamaInfo } from "./provision_llama.ts";
import { cacheRoot, type EnvReader, realEnv } from "../host/cache_paths.ts";
import { join } from "node:path";
import { modelsDir } from "../models/model_paths.ts";
import { speculativeModeFor } from "./speculation.ts";
import { TINY_MODEL_FILE } from "./tiny_model.ts";
import { tinyMlxModelPath } from "./tiny_mlx_model.ts";
import { findMlxPython, type MlxLocation } from "./mlx_venv.ts";
import { exists } from "./llama_source.ts";
import { describe, detectIsolation } from "../sandbox/sandbox_mode.ts";
import { COMMAND_NAME } from "../host/invocation.ts";
import { coderModelItem, draftModelItem, modelServerItem } from "./_doctor_models.ts";
import { type CgroupSupport, describeCgroups, detectCgroups } from "../sandbox/cgroup.ts";

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
  /** `server.speculative` as configured, and the mode it means on the engine a run uses (or why none). */
  speculative:
    | { choice: SpeculativeChoice; kind: "mode"; mode: SpeculativeMode }
    | { choice: SpeculativeChoice; kind: "invalid"; problem: string };
  /** What a run would use: the configured engine (resolved), or the server at a base URL. */
  uses: { kind: "engine"; engine: EngineName } | { kind: "server"; baseUrl: string };
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
  /**
   * What the config asks for: with a `baseUrl` the server there is checked and nothing local is needed
   * to serve a model; an `engine` other than llama.cpp needs no llama-server; a `model` needs no
   * offline model; `speculative: draft` needs the draft model. @default {engine auto, no model, no base URL, speculative auto}
   */
  server?: { engine?: EngineChoice; model?: string; baseUrl?: string; speculative?: SpeculativeChoice };
  /** How factory was started, for the fix commands. @default {"factory"} */
  command?: string;
  /** Finds the offline model's cached, verified file; undefined when it is not fetched. @default {cachedModel} */
  cachedModel?: (name: string) => Promise<{ path: string } | undefined>;
  /** Probes the server at `server.baseUrl`. @default {globalThis.fetch} */
  fetch?: typeof fetch;
  /** Finds the control groups factory can make here (for tests). @default {detectCgroups} */
  cgroups?: () => Promise<CgroupSupport>;
}

/** Looks at this machine. Never throws for a missing piece: that is what the report is for. */
export async function doctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  const os = options.os ?? Deno.build.os;
  const arch = options.arch ?? Deno.build.arch;
  const which = options.which ?? realWhich;
  const run = options.run ?? runCommand;
  const python = options.python ?? "python3";
  const root = options.root ?? cacheRoot(options.env ?? realEnv);
  const mlx = await findMlxPython({ root, env: options.env, which, run });
  const autoEngine = await resolveEngine("auto", {
    os,
    arch,
    canImportMlx: () => Promise.resolve(mlx.kind === "found"),
  });
  const command = options.command ?? COMMAND_NAME;
  const { engine = "auto", model, baseUrl, speculative: choice = "auto" } = options.server ?? {};
  const engineUsed = engine === "auto" ? autoEngine : engine;
  const llamaServes = !baseUrl && engineUsed === "llama.cpp";
  const speculative = speculativeOf(choice, baseUrl ? "openai" : engineUsed);
  const items: DoctorItem[] = [
    ...(baseUrl ? [await modelServerItem(baseUrl, options.fetch ?? globalThis.fetch)] : []),
    await llamaItem(options, root, llamaServes, command),
    await coderModelItem({ required: llamaServes && !model, command, root, cached: options.cachedModel }),
    ...await buildToolItems(which, os),
    mlxItem(mlx, { os, arch, required: !baseUrl && engineUsed === "mlx", command }),
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
    await cgroupItem(os, options.cgroups ?? (() => detectCgroups({ os }))),
    await tinyModelItem(root),
    await tinyMlxModelItem(root),
    await draftModelItem({
      required: speculative.kind === "mode" && speculative.mode === "draft",
      command,
      root,
      cached: options.cachedModel,
    }),
  ];
  const uses = baseUrl
    ? { kind: "server" as const, baseUrl }
    : { kind: "engine" as const, engine: engineUsed };
  return { os, arch, autoEngine, uses, speculative, items };
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

async function llamaItem(
  options: DoctorOptions,
  root: string,
  required: boolean,
  command: string,
): Promise<DoctorItem> {
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
  const detail = `${info.reason}; building it from source takes about 6 min on 2 cores, once`;
  const fix = `${command} engine install`;
  return { name: "llama-server", purpose, required, presence: { kind: "missing", detail, fix } };
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

function mlxItem(
  mlx: MlxLocation,
  { os, arch, required, command }: { os: string; arch: string; required: boolean; command: string },
): DoctorItem {
  const where = os === "darwin" && arch === "aarch64" ? "Apple Silicon" : "CPU only here";
  const base = { name: "mlx_lm", purpose: `the mlx engine (${where})`, required };
  if (mlx.kind === "found") {
    const version = mlx.info?.installed["mlx-lm"];
    const detail = `${mlx.python} (${mlx.source}${version ? `, mlx-lm ${version}` : ""})`;
    return { ...base, presence: found(detail) };
  }
  const detail = `${mlx.reason}; installing makes a virtual environment with pinned mlx, about 30 s`;
  return { ...base, presence: { kind: "missing", detail, fix: `${command} engine install --engine mlx` } };
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

/** Whether each program run gets a control group (cgroup v2 or v1) that bounds it and is killed whole. */
async function cgroupItem(os: string, cgroups: () => Promise<CgroupSupport>): Promise<DoctorItem> {
  const base = {
    name: "control groups",
    purpose: "bounding each run's memory and processes as a whole, and killing it whole",
    required: false,
  };
  if (os !== "linux") {
    return {
      ...base,
      presence: { kind: "not_applicable", reason: `none on ${os}: rlimits only (see SECURITY.md)` },
    };
  }
  const support = await cgroups();
  if (support.kind !== "none") return { ...base, presence: found(describeCgroups(support)) };
  return {
    ...base,
    presence: {
      kind: "missing",
      detail: `${support.reason}; runs have rlimits only (see SECURITY.md)`,
      fix:
        "run factory as root, or with a delegated cgroup v2: systemd-run --user --scope -p Delegate=yes deno task factory …",
    },
  };
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

async function tinyMlxModelItem(root: string): Promise<DoctorItem> {
  const path = tinyMlxModelPath(root);
  const base = { name: "tiny MLX model", purpose: "the test suite's mlx tests", required: false };
  if (await exists(join(path, "config.json"))) return { ...base, presence: found(path) };
  return {
    ...base,
    presence: { kind: "missing", detail: `${path} not made`, fix: "deno run -A tools/provision.ts" },
  };
}

async function pythonImports(run: RunCommand, python: string, module: string): Promise<boolean> {
  const result = await run(python, ["-c", `import ${module}`]);
  return result.kind === "exited" && result.code === 0;
}
