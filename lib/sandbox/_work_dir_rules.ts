/**
 * Which dirs a sandboxed program must never be given, private to the sandbox folder.
 *
 * @module
 */

import type { Launch } from "./_launch.ts";
import { isWithin } from "./bwrap.ts";

/** Throws a RangeError when the work dir or an interpreter root must not be given to a sandbox. */
export function assertContainable(base: Launch, readOnly: string[]): void {
  const problem = workDirProblem(base.cwd);
  if (problem) throw new RangeError(`Cannot sandbox a program in ${base.cwd}: ${problem}`);
  const home = homeDir();
  const exposing = readOnly.find((root) => root === "/" || (home && isWithin(home, root)));
  if (exposing) {
    throw new RangeError(`Cannot sandbox ${base.command}: it needs ${exposing}, which holds the home dir`);
  }
}

/** Dirs a sandboxed program must never be given: the system, shared temp dirs, and homes. */
const FORBIDDEN = ["/", "/tmp", "/var/tmp", "/dev/shm", "/home", "/root", "/Users"];
const SYSTEM = ["/usr", "/etc", "/bin", "/sbin", "/lib", "/lib64", "/boot", "/dev", "/proc", "/sys"];

/**
 * Why `dir` cannot be a sandbox's work dir (it would be writable by the program): the root, a shared temp
 * dir, a system dir, or a home dir or one holding it. Undefined when it can. Pure apart from reading HOME.
 */
export function workDirProblem(dir: string, home = homeDir()): string | undefined {
  if (FORBIDDEN.includes(dir)) return "it is a shared or system dir";
  if (SYSTEM.some((s) => isWithin(dir, s))) return "it is a system dir";
  if (home && isWithin(home, dir)) return "it holds the home directory";
  return undefined;
}

function homeDir(): string | undefined {
  try {
    return Deno.env.get("HOME");
  } catch {
    return undefined;
  }
}
