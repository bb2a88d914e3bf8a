/**
 * The mlx engine's Python: a virtual environment in the cache with pinned `mlx` (its CPU backend on
 * Linux), `mlx-lm`, `tokenizers` and `transformers`, or a Python the user points at. Finding one is
 * here; making one is `provision_mlx.ts`. A cached environment counts only once its install wrote
 * `venv-info.json`, so a half-made one is never used.
 *
 * @module
 */

import { z } from "zod";
import { type RunCommand, runCommand } from "../host/command.ts";
import { isExecutable, type Which, which as realWhich } from "../host/find_tool.ts";
import { cacheRoot, type EnvReader, realEnv } from "../host/cache_paths.ts";
import { join } from "node:path";

/** The pinned versions installed into the cached environment (all verified on x86_64 Linux). */
export const MLX_PINS = {
  mlx: "0.32.4",
  "mlx-lm": "0.32.2",
  tokenizers: "0.23.3",
  transformers: "5.25.0",
} as const;

/** The pip requirements for an OS: `mlx[cpu]` on Linux (no Metal there), plain `mlx` on macOS. */
export function mlxRequirements(os: string = Deno.build.os): string[] {
  const mlx = os === "linux" ? "mlx[cpu]" : "mlx";
  return [
    `${mlx}==${MLX_PINS.mlx}`,
    `mlx-lm==${MLX_PINS["mlx-lm"]}`,
    `tokenizers==${MLX_PINS.tokenizers}`,
    `transformers==${MLX_PINS.transformers}`,
  ];
}

/** Paths of the cached environment, keyed by the pinned mlx-lm version. */
export interface MlxPaths {
  /** `<root>/mlx/<mlx-lm version>` */
  dir: string;
  /** The virtual environment. */
  venv: string;
  /** Its Python. */
  python: string;
  /** The output of `python3 -m venv` and `pip install`. */
  log: string;
  /** Written only after a successful install. */
  info: string;
}

/** The cache layout of the mlx environment. */
export function mlxPaths(root: string, version: string = MLX_PINS["mlx-lm"]): MlxPaths {
  const dir = join(root, "mlx", version);
  const venv = join(dir, "venv");
  const python = Deno.build.os === "windows"
    ? join(venv, "Scripts", "python.exe")
    : join(venv, "bin", "python3");
  return { dir, venv, python, log: join(dir, "install.log"), info: join(dir, "venv-info.json") };
}

/** What a finished install recorded about itself (`venv-info.json`). */
export interface MlxVenvInfo {
  /** The pip requirements installed, pins included. */
  requirements: string[];
  /** What `python3 --version` printed for the base Python. */
  pythonVersion?: string;
  /** The installed versions of the pinned packages (and `mlx-cpu` / `mlx-metal`), from pip. */
  installed: Record<string, string>;
  /** When the install finished (ISO 8601). */
  installedAt: string;
  /** How long creating and installing took, in milliseconds. */
  installMs: number;
  /** The environment's Python. */
  python: string;
}

const InfoSchema = z.object({
  requirements: z.array(z.string()),
  pythonVersion: z.string().optional(),
  installed: z.record(z.string(), z.string()),
  installedAt: z.string(),
  installMs: z.number(),
  python: z.string(),
}) satisfies z.ZodType<MlxVenvInfo>;

/** Where a Python with mlx_lm was found, or why none was. */
export type MlxLocation =
  | { kind: "found"; python: string; source: "configured" | "cache" | "path"; info?: MlxVenvInfo }
  /** None usable. `configured` is set when a configured Python is unusable: never provision over it. */
  | { kind: "missing"; reason: string; cache: MlxPaths; configured?: string };

/** Options of {@linkcode findMlxPython}. */
export interface FindMlxOptions {
  /** A configured Python with mlx_lm; when set, nothing else is considered. */
  binary?: string;
  /** The cache root the environment is kept under. @default {cacheRoot()} */
  root?: string;
  /** The requirements a cached environment must have been made with. @default {mlxRequirements()} */
  requirements?: string[];
  /** Set false to skip looking for a `python3` on PATH that has mlx_lm. @default {true} */
  searchPath?: boolean;
  /** Finds programs on PATH (injectable for tests). @default {which on the real PATH} */
  which?: Which;
  /** Runs `python3 -c ...` to see whether mlx_lm is installed. @default {the real runCommand} */
  run?: RunCommand;
  /** Reads environment variables, such as those locating the cache root. @default {the real environment} */
  env?: EnvReader;
}

/** Finds a Python for mlx_lm.server: configured > finished cached environment > `python3` on PATH. */
export async function findMlxPython(options: FindMlxOptions = {}): Promise<MlxLocation> {
  const cache = mlxPaths(options.root ?? cacheRoot(options.env ?? realEnv));
  if (options.binary !== undefined) {
    const python = await (options.which ?? realWhich)(options.binary);
    if (python) return { kind: "found", python: options.binary, source: "configured" };
    return {
      kind: "missing",
      reason: `${options.binary} is not an executable file`,
      cache,
      configured: options.binary,
    };
  }
  const info = await readMlxInfo(cache);
  const wanted = (options.requirements ?? mlxRequirements()).join(" ");
  if (info && info.requirements.join(" ") === wanted && await isExecutable(cache.python)) {
    return { kind: "found", python: cache.python, source: "cache", info };
  }
  if (options.searchPath !== false) {
    const python = await (options.which ?? realWhich)("python3");
    if (python && await hasMlxLm(python, options.run ?? runCommand)) {
      return { kind: "found", python, source: "path" };
    }
  }
  const reason = info
    ? `the environment in ${cache.dir} was made for other versions`
    : await isExecutable(cache.python)
    ? `the environment in ${cache.dir} was not finished`
    : "no python3 with mlx_lm on PATH and none installed yet";
  return { kind: "missing", reason, cache };
}

/** Whether a Python has mlx_lm installed (found without importing it, which takes seconds). */
export async function hasMlxLm(python: string, run: RunCommand = runCommand): Promise<boolean> {
  const code = "import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('mlx_lm') else 1)";
  const result = await run(python, ["-c", code]);
  return result.kind === "exited" && result.code === 0;
}

/** Reads an install's info file; undefined when absent or invalid. */
export async function readMlxInfo(paths: MlxPaths): Promise<MlxVenvInfo | undefined> {
  try {
    const parsed = InfoSchema.safeParse(JSON.parse(await Deno.readTextFile(paths.info)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes an install's info file atomically (temp file, then rename). */
export async function writeMlxInfo(paths: MlxPaths, info: MlxVenvInfo): Promise<void> {
  const temp = `${paths.info}.${Deno.pid}.tmp`;
  await Deno.writeTextFile(temp, JSON.stringify(info, null, 2) + "\n");
  await Deno.rename(temp, paths.info);
}
