/**
 * Runs a program in the sandbox: its own work dir, a scrubbed environment, a wall-clock limit that kills
 * the whole process tree, and capped output.
 *
 * @module
 */

import { join } from "node:path";
import type { ExecResult, Language } from "../types.ts";
import type { Launch } from "./_launch.ts";
import { runProcess } from "./_run_process.ts";
import { denoLaunch } from "./deno_permissions.ts";
import { pythonLaunch, resolvePython } from "./python.ts";

/** A program to run. */
export interface Program {
  language: Language;
  code: string;
  /** The work dir: created when missing; the program runs with it as cwd and may only touch it (TypeScript). */
  dir: string;
  /** @default {"main.py" or "main.ts", after the language} */
  fileName?: string;
}

/** How programs are run. */
export interface ExecOptions {
  /** Wall-clock limit; when it passes the whole process tree is killed and the result is `timed_out`. */
  timeoutMs: number;
  /** Aborting kills the whole process tree; the result is then `interrupted`. */
  signal?: AbortSignal;
  /** Bytes kept per stream, head and tail. @default {64 KiB} */
  maxOutputBytes?: number;
  /** The Python interpreter, a name on PATH or a path. @default {"python3"} */
  pythonPath?: string;
  /** The Deno binary that runs TypeScript programs. @default {Deno.execPath()} */
  denoPath?: string;
  /** V8 heap bound of TypeScript programs, in MiB. @default {512} */
  heapMb?: number;
  /** util-linux `setsid`, to start programs in their own session; null to do without. @default {found on PATH} */
  setsidPath?: string | null;
}

/** The file a program is written to when `fileName` is not given. */
export const DEFAULT_FILE_NAMES: Readonly<Record<Language, string>> = {
  python: "main.py",
  typescript: "main.ts",
};

/**
 * Writes `program.code` to `dir/fileName` (creating `dir`) and runs it there. Never throws for what the
 * program does; `refused` when it could not be started at all (no interpreter, unwritable dir).
 *
 * @throws {RangeError} when `fileName` is not a plain file name or `timeoutMs` is not positive.
 */
export async function execute(program: Program, options: ExecOptions): Promise<ExecResult> {
  const fileName = program.fileName ?? DEFAULT_FILE_NAMES[program.language];
  assertFileName(fileName);
  try {
    await Deno.mkdir(program.dir, { recursive: true });
    await Deno.writeTextFile(join(program.dir, fileName), program.code);
  } catch (error) {
    return {
      kind: "refused",
      reason: `Cannot write the program to ${program.dir}: ${(error as Error).message}`,
    };
  }
  return await executeFile(program.language, program.dir, fileName, options);
}

/**
 * Runs the existing file `dir/fileName` in the same sandbox as {@linkcode execute} (the `test` check runs
 * its test program this way).
 *
 * @throws {RangeError} when `fileName` is not a plain file name, `timeoutMs` is not positive or
 * `maxOutputBytes` is below 2.
 */
export async function executeFile(
  language: Language,
  dir: string,
  fileName: string,
  options: ExecOptions,
): Promise<ExecResult> {
  assertFileName(fileName);
  if (!(options.timeoutMs > 0)) {
    throw new RangeError(`Cannot run a program: timeoutMs must be positive, got ${options.timeoutMs}`);
  }
  const { maxOutputBytes } = options;
  if (maxOutputBytes !== undefined && !(Number.isInteger(maxOutputBytes) && maxOutputBytes >= 2)) {
    throw new RangeError(
      `Cannot run a program: maxOutputBytes must be an integer of at least 2, got ${maxOutputBytes}`,
    );
  }
  let realDir: string;
  try {
    realDir = await Deno.realPath(dir);
  } catch (error) {
    return { kind: "refused", reason: `Cannot run a program in ${dir}: ${(error as Error).message}` };
  }
  const plan = await prepare(language, realDir, fileName, options);
  if (plan.kind === "refused") return plan;
  try {
    return await runProcess(plan.launch, options);
  } finally {
    await plan.cleanup();
  }
}

type Plan =
  | { kind: "ready"; launch: Launch; cleanup: () => Promise<void> }
  | { kind: "refused"; reason: string };

async function prepare(
  language: Language,
  dir: string,
  fileName: string,
  options: ExecOptions,
): Promise<Plan> {
  switch (language) {
    case "python": {
      const python = await resolvePython(options.pythonPath);
      if (python.kind === "missing") return { kind: "refused", reason: python.reason };
      return {
        kind: "ready",
        launch: pythonLaunch(python.path, dir, fileName),
        cleanup: () => Promise.resolve(),
      };
    }
    case "typescript":
      return await prepareDeno(dir, fileName, options);
    default: {
      const unknown: never = language;
      throw new TypeError(`Unknown language: ${unknown}`);
    }
  }
}

async function prepareDeno(dir: string, fileName: string, options: ExecOptions): Promise<Plan> {
  const denoPath = options.denoPath ?? Deno.execPath();
  try {
    await Deno.stat(denoPath);
  } catch {
    return { kind: "refused", reason: `Cannot run TypeScript programs: ${denoPath} was not found` };
  }
  // A fresh cache per run, outside the work dir: the program cannot reach it and nothing global is written.
  const denoDir = await Deno.makeTempDir({ prefix: "factory-deno-dir-" });
  const cleanup = () => Deno.remove(denoDir, { recursive: true }).catch(() => {});
  try {
    return {
      kind: "ready",
      launch: denoLaunch(denoPath, dir, fileName, { heapMb: options.heapMb, denoDir }),
      cleanup,
    };
  } catch (error) {
    await cleanup();
    return { kind: "refused", reason: (error as Error).message };
  }
}

function assertFileName(fileName: string): void {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(fileName)) {
    throw new RangeError(`Cannot run a program: ${JSON.stringify(fileName)} is not a plain file name`);
  }
}
