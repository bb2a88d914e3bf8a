/**
 * How a Python program is started: the real interpreter, and an environment holding nothing of ours.
 *
 * @module
 */

import { dirname } from "node:path";
import { type Launch, SAFE_PATH } from "./_launch.ts";

/** The interpreter found for a requested `python3`, or why there is none. */
export type PythonResolution =
  | { kind: "found"; path: string }
  | { kind: "missing"; reason: string };

const resolved = new Map<string, string>();

/**
 * Finds the real interpreter behind `python` (a name looked up on PATH, or a path) by asking it for
 * `sys.executable` once, with the parent's environment: a pyenv shim needs its variables to pick the
 * interpreter, while the real binary then runs with an empty environment and still finds its own
 * site-packages (numpy included, when installed for it). Successes are cached per process.
 */
export async function resolvePython(python = "python3"): Promise<PythonResolution> {
  const cached = resolved.get(python);
  if (cached !== undefined) return { kind: "found", path: cached };
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(python, {
      args: ["-c", "import sys; print(sys.executable)"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound ? "it was not found" : String(error);
    return { kind: "missing", reason: `Cannot run Python programs: ${python}: ${why}` };
  }
  if (!output.success) {
    const stderr = new TextDecoder().decode(output.stderr).trim().split("\n").at(-1) ?? "";
    return {
      kind: "missing",
      reason: `Cannot run Python programs: ${python} exited with code ${output.code}: ${stderr}`,
    };
  }
  const path = new TextDecoder().decode(output.stdout).trim() || python;
  resolved.set(python, path);
  return { kind: "found", path };
}

/** Options of {@linkcode pythonLaunch}. */
export interface PythonLaunchOptions {
  /**
   * Isolated mode, for a `test` check's wrapper: `-I` (no user site, no PYTHON* variables, neither the
   * script's dir nor the cwd on `sys.path`), `-B -u -X utf8` instead of the variables, and `home` as HOME.
   */
  isolated?: { home: string };
}

/**
 * The launch plan for `dir/fileName` under `interpreter` (an absolute path, as from {@linkcode resolvePython}).
 * The environment is empty apart from PATH (a fixed safe list after the interpreter's own directory), HOME
 * (the work dir, or the isolated run's empty dir), LANG and the PYTHON* switches for unbuffered UTF-8
 * output and no bytecode files. Pure.
 */
export function pythonLaunch(
  interpreter: string,
  dir: string,
  fileName: string,
  options: PythonLaunchOptions = {},
): Launch {
  const own = dirname(interpreter);
  const path = SAFE_PATH.split(":").includes(own) ? SAFE_PATH : `${own}:${SAFE_PATH}`;
  const { isolated } = options;
  return {
    command: interpreter,
    args: isolated ? ["-I", "-B", "-u", "-X", "utf8", fileName] : [fileName],
    cwd: dir,
    env: {
      PATH: path,
      HOME: isolated ? isolated.home : dir,
      LANG: "C.UTF-8",
      PYTHONDONTWRITEBYTECODE: "1",
      PYTHONUNBUFFERED: "1",
      PYTHONIOENCODING: "utf-8",
    },
  };
}

const rootsCache = new Map<string, Promise<string[]>>();

/**
 * What a sandbox must make readable for `interpreter` to start and import its packages (numpy
 * included): its prefixes (`sys.prefix`, `sys.base_prefix`, the exec prefixes, for a venv and its base)
 * and the real path of the binary, as real paths, without duplicates. Asked once per interpreter, with
 * an empty environment and `-I` (no user site, no PYTHON* variables); `[]` when it cannot be asked.
 */
export function pythonRoots(interpreter: string): Promise<string[]> {
  let roots = rootsCache.get(interpreter);
  if (!roots) {
    roots = askRoots(interpreter);
    rootsCache.set(interpreter, roots);
  }
  return roots;
}

const ROOTS_SCRIPT = "import json, os, sys; print(json.dumps([sys.prefix, sys.base_prefix, " +
  "sys.exec_prefix, sys.base_exec_prefix, os.path.realpath(sys.executable)]))";

async function askRoots(interpreter: string): Promise<string[]> {
  try {
    const output = await new Deno.Command(interpreter, {
      args: ["-I", "-c", ROOTS_SCRIPT],
      clearEnv: true,
      env: { PATH: SAFE_PATH },
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    if (!output.success) return [];
    const paths = JSON.parse(new TextDecoder().decode(output.stdout)) as string[];
    const real = await Promise.all(paths.map((p) => Deno.realPath(p).catch(() => p)));
    return [...new Set(real)];
  } catch {
    return [];
  }
}
