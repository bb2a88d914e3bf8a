/**
 * Runs a program in the sandbox: an OS sandbox when there is one (bubblewrap, `sandbox-exec`), a control
 * group of its own where the machine has them, its own work dir, a scrubbed environment, rlimits, a disk
 * quota, a wall-clock limit after which every process of the run is killed, and capped output.
 *
 * @module
 */

import { join } from "node:path";
import type { ExecResult, Language } from "../types.ts";
import { planRun, type Ready, type RunFile } from "./_plan.ts";
import { runSandboxed } from "./_run_sandboxed.ts";
import { writeFresh } from "./_write_fresh.ts";
import { DEFAULT_MAX_ENTRIES, watchDisk } from "./disk_watch.ts";
import { DEFAULT_DISK_QUOTA_MB, limitNote } from "./rlimits.ts";
import { type Isolation, resolveSandbox } from "./sandbox_mode.ts";
import { DEFAULT_SANDBOX_MODE } from "../types.ts";
import { type SandboxMode } from "../types.ts";

/** A program to run. */
export interface Program {
  /** The program's language: `python` or `typescript`. */
  language: Language;
  /** The program's source code. */
  code: string;
  /** The work dir: created when missing; the program runs with it as cwd and may only touch it (TypeScript). */
  dir: string;
  /** The file in `dir` the code is written to. @default {"main.py" or "main.ts", after the language} */
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
  /**
   * The OS sandbox: `auto` uses the strongest one available (none when there is none), `require` refuses
   * to run without one (the result is `refused`), `off` uses none. @default {"auto"}
   */
  sandbox?: SandboxMode;
  /**
   * Memory bound in MiB: of the whole run where there is a control group (every process, memfd, tmpfs and
   * page cache pages); per process besides (Python's address space; Deno's data beyond its own start-up).
   * @default {1024}
   */
  memoryMb?: number;
  /** The largest file, and the most the work dir may hold, in MiB (as root a capped tmpfs). @default {1024} */
  diskQuotaMb?: number;
  /** Most entries (files, dirs, links) the work dir may hold. @default {20_000} */
  maxEntries?: number;
  /** Processes and threads at once: the control group's task limit, and RLIMIT_NPROC inside an OS sandbox. @default {256} */
  maxProcesses?: number;
  /** Finds the OS sandbox (tests inject a machine without one). @default {detectIsolation} */
  detectIsolation?: () => Promise<Isolation>;
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
    await writeFresh(join(program.dir, fileName), program.code);
  } catch (error) {
    return {
      kind: "refused",
      reason: `Cannot write the program to ${program.dir}: ${(error as Error).message}`,
    };
  }
  return await executeFile(program.language, program.dir, fileName, options);
}

/**
 * Runs the existing file `dir/fileName` in the same sandbox as {@linkcode execute}.
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
  return await runFile({ language, dir, fileName }, options);
}

/**
 * Runs `file` like {@linkcode executeFile}, with the knobs of the `test` check: Python in isolated mode
 * with its own HOME, and the work dir not taken back. Internal to the sandbox folder.
 */
export async function runFile(file: RunFile, options: ExecOptions): Promise<ExecResult> {
  assertFileName(file.fileName);
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
    realDir = await Deno.realPath(file.dir);
  } catch (error) {
    return { kind: "refused", reason: `Cannot run a program in ${file.dir}: ${(error as Error).message}` };
  }
  const choice = await resolveSandbox(options.sandbox ?? DEFAULT_SANDBOX_MODE, {
    detect: options.detectIsolation,
  });
  if (choice.kind === "refused") return choice;
  const plan = await planRun({ ...file, dir: realDir }, options, choice);
  if (plan.kind === "refused") return plan;
  return await runContained(plan, realDir, options);
}

async function runContained(plan: Ready, dir: string, options: ExecOptions): Promise<ExecResult> {
  const { contained } = plan;
  const quotaBytes = (options.diskQuotaMb ?? DEFAULT_DISK_QUOTA_MB) * 1024 * 1024;
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  try {
    try {
      await contained.prepare();
    } catch (error) {
      return { kind: "refused", reason: `Cannot prepare the sandbox: ${(error as Error).message}` };
    }
    const result = await runSandboxed(contained.launch, {
      ...options,
      guard: contained.boundedWorkDir
        ? undefined
        : (signal) => watchDisk(dir, { quotaBytes, maxEntries, signal }),
      sweep: contained.sweep,
      treeKill: !contained.sweepsAll,
    });
    const after = await contained.restore();
    if (result.kind === "refused") return result;
    const limit = result.kind === "exited" ? limitNote(result.code, contained.limits) : undefined;
    const notes = [...result.notes ?? [], ...limit ? [limit] : [], ...after.notes];
    return {
      ...result,
      ...notes.length > 0 ? { notes } : {},
      ...after.peakMemoryBytes !== undefined ? { peakMemoryBytes: after.peakMemoryBytes } : {},
    };
  } finally {
    await contained.restore();
    await plan.cleanup();
  }
}

function assertFileName(fileName: string): void {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(fileName)) {
    throw new RangeError(`Cannot run a program: ${JSON.stringify(fileName)} is not a plain file name`);
  }
}
