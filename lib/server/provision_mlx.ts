/**
 * Making the mlx engine's Python, once: `python3 -m venv` in the cache, then `pip install` of the
 * pinned wheels (binary wheels only: nothing is compiled), output to `install.log`. The install writes
 * `venv-info.json` last, so only a finished environment is used; an unfinished one is completed.
 *
 * @module
 */

import { ConfigError, ServerError } from "../errors.ts";
import { type RunCommand, runCommand, type RunLogged, runLogged } from "../host/command.ts";
import { exists, type ProvisionProgress, withProvisionLock } from "./llama_source.ts";
import {
  type FindMlxOptions,
  findMlxPython,
  MLX_PINS,
  type MlxPaths,
  mlxPaths,
  mlxRequirements,
  type MlxVenvInfo,
  writeMlxInfo,
} from "./mlx_venv.ts";
import { cacheRoot, realEnv } from "../host/cache_paths.ts";
import { logTail } from "./server_logs.ts";

/** Options of {@linkcode provisionMlx}. */
export interface ProvisionMlxOptions extends FindMlxOptions {
  /** The Python the environment is made from. @default {"python3"} */
  basePython?: string;
  /** Aborting kills the running helper program (python3, pip); the promise then rejects. */
  signal?: AbortSignal;
  /** Receives a report at each stage. */
  onProgress?: (progress: ProvisionProgress) => void;
  /** Runs python3 -m venv and pip, their output going to the install log (for tests). @default {runLogged} */
  runLogged?: RunLogged;
  /** The clock stamping the log and `installedAt`. @default {() => new Date()} */
  now?: () => Date;
}

/** The `pip install` arguments: the pins, binary wheels only, no prompts, no progress bars. */
export function pipInstallArgs(requirements: string[]): string[] {
  return [
    "-m",
    "pip",
    "install",
    "--disable-pip-version-check",
    "--no-input",
    "--only-binary=:all:",
    "--progress-bar",
    "off",
    ...requirements,
  ];
}

/**
 * Creates the cached environment (when absent) and installs the pinned packages into it. Throws
 * ServerError naming `install.log` when a step fails; an abort kills the running step.
 */
export async function provisionMlx(options: ProvisionMlxOptions = {}): Promise<MlxVenvInfo> {
  const paths = mlxPaths(options.root ?? cacheRoot(options.env ?? realEnv));
  const requirements = options.requirements ?? mlxRequirements();
  return await withProvisionLock(paths, async () => {
    const started = Date.now();
    const now = options.now ?? (() => new Date());
    const log = await Deno.open(paths.log, { create: true, append: true });
    try {
      const stamp = now().toISOString();
      await log.write(new TextEncoder().encode(`\n== factory: installing mlx, ${stamp}\n`));
      if (!await exists(paths.python)) await createVenv(paths, log, options);
      await install(paths, requirements, log, options);
    } finally {
      log.close();
    }
    const run = options.run ?? runCommand;
    const info: MlxVenvInfo = {
      requirements,
      pythonVersion: await pythonVersion(paths.python, run),
      installed: await installedVersions(paths.python, run),
      installedAt: now().toISOString(),
      installMs: Date.now() - started,
      python: paths.python,
    };
    await writeMlxInfo(paths, info);
    options.onProgress?.({
      stage: "done",
      message: `installed mlx-lm ${MLX_PINS["mlx-lm"]} in ${paths.venv}`,
    });
    return info;
  }, "mlx");
}

async function createVenv(paths: MlxPaths, log: Deno.FsFile, options: ProvisionMlxOptions): Promise<void> {
  const base = options.basePython ?? "python3";
  options.onProgress?.({ stage: "venv", message: `${base} -m venv ${paths.venv}` });
  const code = await (options.runLogged ?? runLogged)(base, ["-m", "venv", paths.venv], {
    log,
    signal: options.signal,
  });
  if (code === 0) return;
  await Deno.remove(paths.venv, { recursive: true }).catch(() => {});
  if (code === 127) throw new ServerError(`Cannot install mlx: ${base} is not installed`);
  const tail = await logTail(paths.log, 5);
  // Debian and Ubuntu ship venv's pip bootstrap in a separate package.
  const hint = /ensurepip|python3(\.\d+)?-venv/.test(tail)
    ? " (install python3-venv: sudo apt-get install python3-venv)"
    : "";
  throw new ServerError(
    `Cannot install mlx: ${base} -m venv failed with exit code ${code}${hint}; see ${paths.log}`,
  );
}

async function install(
  paths: MlxPaths,
  requirements: string[],
  log: Deno.FsFile,
  options: ProvisionMlxOptions,
): Promise<void> {
  options.onProgress?.({ stage: "download", message: `pip install ${requirements.join(" ")}` });
  const onLine = (line: string) => {
    const installing = /^Installing collected packages: (.*)$/.exec(line);
    if (installing) {
      const count = installing[1].split(",").length;
      options.onProgress?.({ stage: "install", message: `installing ${count} packages` });
    }
  };
  const code = await (options.runLogged ?? runLogged)(paths.python, pipInstallArgs(requirements), {
    log,
    onLine,
    signal: options.signal,
  });
  if (code !== 0) {
    const last = (await logTail(paths.log, 1)).trim();
    throw new ServerError(
      `Cannot install mlx: pip install failed with exit code ${code}${
        last ? `: ${last}` : ""
      }; see ${paths.log}`,
    );
  }
}

async function pythonVersion(python: string, run: RunCommand): Promise<string | undefined> {
  const result = await run(python, ["--version"]);
  if (result.kind !== "exited" || result.code !== 0) return undefined;
  return `${result.stdout}${result.stderr}`.trim() || undefined;
}

/** The installed versions of the mlx packages, from `pip list --format=json`. */
async function installedVersions(python: string, run: RunCommand): Promise<Record<string, string>> {
  const result = await run(python, ["-m", "pip", "list", "--format=json", "--disable-pip-version-check"]);
  if (result.kind !== "exited" || result.code !== 0) return {};
  const wanted = new Set(["mlx", "mlx-cpu", "mlx-metal", "mlx-lm", "tokenizers", "transformers"]);
  const versions: Record<string, string> = {};
  try {
    for (const entry of JSON.parse(result.stdout) as { name?: unknown; version?: unknown }[]) {
      const name = String(entry.name).toLowerCase().replaceAll("_", "-");
      if (wanted.has(name) && typeof entry.version === "string") versions[name] = entry.version;
    }
  } catch {
    return {};
  }
  return versions;
}

/** Finds a Python with mlx_lm (configured > cache > PATH) or makes the cached environment; returns it. */
export async function ensureMlxPython(options: ProvisionMlxOptions = {}): Promise<string> {
  const found = await findMlxPython(options);
  if (found.kind === "found") return found.python;
  if (found.configured !== undefined) throw new ConfigError(`Cannot use mlx_lm.server: ${found.reason}`);
  return (await provisionMlx(options)).python;
}
