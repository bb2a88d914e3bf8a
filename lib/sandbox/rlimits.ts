/**
 * Resource limits of a program run (CPU time, memory, file size, processes), as `prlimit` arguments.
 *
 * @module
 */

import type { Language, RunNote } from "../types.ts";

/** The memory bound of a program, in MiB: Python's address space, Deno's off-heap data. */
export const DEFAULT_MEMORY_MB = 1024;
/** The largest file a program may write, and the most its work dir may hold, in MiB. */
export const DEFAULT_DISK_QUOTA_MB = 1024;
/** Processes and threads a sandboxed program may have at once (counted per sandbox, see SECURITY.md). */
export const DEFAULT_MAX_PROCESSES = 256;

/**
 * Deno maps about 0.55 GiB of private data before it runs anything (thread stacks, V8's heap cage) and
 * each Worker reserves a few hundred MiB more (its code range), so its RLIMIT_DATA is the memory bound
 * plus this much: room for about four Workers. RLIMIT_AS would stop Deno from starting.
 */
export const DENO_DATA_OVERHEAD_MB = 2048;

const MIB = 1024 * 1024;

/** The limits set on one run; absent fields are left as they are. */
export interface Rlimits {
  /** RLIMIT_CPU in seconds: SIGXCPU at this, SIGKILL one second later. */
  cpuSeconds: number;
  /** RLIMIT_AS in bytes (Python only). */
  addressSpaceBytes?: number;
  /** RLIMIT_DATA in bytes (Deno: bounds ArrayBuffers, which the V8 heap flag does not). */
  dataBytes?: number;
  /** RLIMIT_FSIZE in bytes: no single file may grow past it. */
  fileSizeBytes: number;
  /** RLIMIT_NPROC; only set where it counts the sandbox's own processes (see SECURITY.md). */
  processes?: number;
  /** RLIMIT_NOFILE. */
  openFiles: number;
  /** RLIMIT_CORE: 0, so a crash cannot fill the work dir with a core dump. */
  coreBytes: 0;
}

/** What {@linkcode rlimitsFor} needs. */
export interface RlimitOptions {
  language: Language;
  timeoutMs: number;
  /** @default {DEFAULT_MEMORY_MB} */
  memoryMb?: number;
  /** @default {DEFAULT_DISK_QUOTA_MB} */
  diskQuotaMb?: number;
  /** Undefined leaves RLIMIT_NPROC alone (it would count every process of the user). */
  maxProcesses?: number;
  /** CPUs the program may keep busy at once, for its CPU-time budget. @default {navigator.hardwareConcurrency} */
  cpus?: number;
}

/**
 * The limits of one run. CPU time is a backstop behind the wall-clock timeout (which fires first): every
 * CPU busy for the whole timeout, plus 5 s. Pure.
 *
 * @throws {RangeError} when a bound is not a positive integer.
 */
export function rlimitsFor(options: RlimitOptions): Rlimits {
  const { language, memoryMb = DEFAULT_MEMORY_MB, diskQuotaMb = DEFAULT_DISK_QUOTA_MB } = options;
  for (const [name, value] of [["memoryMb", memoryMb], ["diskQuotaMb", diskQuotaMb]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`Cannot limit a program: ${name} must be a positive integer, got ${value}`);
    }
  }
  const cpus = Math.max(1, options.cpus ?? navigator.hardwareConcurrency ?? 1);
  const limits: Rlimits = {
    cpuSeconds: Math.ceil(options.timeoutMs / 1000) * cpus + 5,
    fileSizeBytes: diskQuotaMb * MIB,
    openFiles: 1024,
    coreBytes: 0,
  };
  if (language === "python") limits.addressSpaceBytes = memoryMb * MIB;
  else limits.dataBytes = (memoryMb + DENO_DATA_OVERHEAD_MB) * MIB;
  if (options.maxProcesses !== undefined) limits.processes = options.maxProcesses;
  return limits;
}

/** The `prlimit` options setting `limits`, ending with `--` (the command follows). Pure. */
export function prlimitArgs(limits: Rlimits): string[] {
  const args = [`--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`];
  if (limits.addressSpaceBytes !== undefined) args.push(`--as=${limits.addressSpaceBytes}`);
  if (limits.dataBytes !== undefined) args.push(`--data=${limits.dataBytes}`);
  args.push(`--fsize=${limits.fileSizeBytes}`);
  if (limits.processes !== undefined) args.push(`--nproc=${limits.processes}`);
  args.push(`--nofile=${limits.openFiles}`, `--core=${limits.coreBytes}`, "--");
  return args;
}

/** A note on how the program died when an exit code means a limit killed it; undefined otherwise. Pure. */
export function limitNote(code: number, limits: Rlimits): RunNote | undefined {
  if (code === 128 + 24) {
    return {
      kind: "limit",
      text: `killed by SIGXCPU: the CPU time limit of ${limits.cpuSeconds} s was reached`,
    };
  }
  if (code === 128 + 25) {
    return {
      kind: "limit",
      text: `killed by SIGXFSZ: a file passed the size limit of ${mib(limits.fileSizeBytes)}`,
    };
  }
  return undefined;
}

/** Bytes as MiB for messages. */
export function mib(bytes: number): string {
  return `${Math.round((bytes / MIB) * 10) / 10} MiB`;
}
