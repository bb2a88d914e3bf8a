/**
 * The macOS sandbox: a `sandbox-exec` profile with the intent of the Linux one (read-only system and
 * interpreter dirs, the work dir as the only writable place, no network), and rlimits set by `/bin/sh`.
 * Pure: the profile is text, unit-tested here; it has not been run on macOS by this project's CI.
 *
 * @module
 */

import type { Rlimits } from "./rlimits.ts";

/** Where macOS keeps what every program needs to start: the system, frameworks and the dyld cache. */
export const MACOS_SYSTEM_PATHS: readonly string[] = [
  "/usr",
  "/bin",
  "/System",
  "/Library/Apple",
  "/Library/Frameworks",
  "/private/var/db/dyld",
  "/private/var/db/timezone",
  "/private/etc/localtime",
];

/** One sandboxed run on macOS. */
export interface SandboxExecSpec {
  /** The work dir (real path): readable and writable. */
  workDir: string;
  /** More writable dirs (a TypeScript program's own DENO_DIR). */
  writable: string[];
  /** Interpreter prefixes and binaries, readable. */
  readOnly: string[];
}

/** Quotes `text` as a string of the sandbox profile language (a Scheme dialect). Pure. */
export function profileString(text: string): string {
  return `"${text.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

/**
 * The profile: deny by default; allow reading metadata anywhere (path lookups), reading the system and
 * interpreter paths, reading and writing the work dir; deny every network operation; signals only
 * within the sandbox. Pure.
 */
export function sandboxExecProfile(spec: SandboxExecSpec): string {
  const subpaths = (paths: readonly string[]) => paths.map((p) => `  (subpath ${profileString(p)})`);
  const devices = ["/dev/null", "/dev/zero", "/dev/random", "/dev/urandom", "/dev/tty"];
  return [
    "(version 1)",
    "(deny default)",
    "(allow process-fork)",
    "(allow process-exec)",
    "(allow signal (target same-sandbox))",
    "(allow sysctl-read)",
    "(allow ipc-posix-shm)",
    "(allow file-read-metadata)",
    "(allow file-read*",
    ...subpaths([...MACOS_SYSTEM_PATHS, ...spec.readOnly, spec.workDir, ...spec.writable]),
    ...devices.map((d) => `  (literal ${profileString(d)})`),
    ")",
    "(allow file-write*",
    ...subpaths([spec.workDir, ...spec.writable]),
    `  (literal "/dev/null")`,
    ")",
    "(deny network*)",
    "",
  ].join("\n");
}

/**
 * The `sh` script setting the rlimits macOS honours (CPU time, file size in 512-byte blocks, open files,
 * no core dumps), then running its arguments. macOS does not enforce RLIMIT_AS or RLIMIT_DATA on mmap,
 * and RLIMIT_NPROC counts all of the user's processes there, so none of them is set. Pure.
 */
export function ulimitScript(limits: Rlimits): string {
  const blocks = Math.ceil(limits.fileSizeBytes / 512);
  return [
    `ulimit -t ${limits.cpuSeconds}`,
    `ulimit -f ${blocks}`,
    `ulimit -n ${limits.openFiles}`,
    `ulimit -c 0`,
    `exec "$@"`,
  ].join(" && ");
}

/** The full command line: `sandbox-exec -p PROFILE /bin/sh -c SCRIPT sh COMMAND...`. Pure. */
export function sandboxExecArgs(spec: SandboxExecSpec, limits: Rlimits, command: string[]): string[] {
  return ["-p", sandboxExecProfile(spec), "/bin/sh", "-c", ulimitScript(limits), "sh", ...command];
}
