/**
 * Wrapping a program's launch plan in the chosen sandbox and its rlimits, with what has to happen around
 * the run: the work dir handed to the sandbox user and back, and the sweep of whatever it left running.
 *
 * @module
 */

import type { Language } from "../types.ts";
import type { Launch } from "./_launch.ts";
import { bwrapArgs, isWithin, systemLayout } from "./bwrap.ts";
import { prlimitArgs, type Rlimits, rlimitsFor } from "./rlimits.ts";
import { sandboxExecArgs } from "./sandbox_exec.ts";
import { type Isolation, type SandboxChoice, sandboxUser } from "./sandbox_mode.ts";
import { chownTree, killUid } from "./sandbox_user.ts";
import { findTool } from "../host/find_tool.ts";

/** A launch plan inside its sandbox, and the steps around it. */
export interface Contained {
  launch: Launch;
  limits: Rlimits;
  /** Before the run: hands the work dir to the sandbox user. */
  prepare(): Promise<void>;
  /** Right after the process tree is killed: kills whatever the sandbox user still runs. */
  sweep(): Promise<void>;
  /** After the run: takes the work dir back. */
  restore(): Promise<void>;
}

/** What {@linkcode contain} needs besides the launch plan. */
export interface ContainOptions {
  choice: Exclude<SandboxChoice, { kind: "refused" }>;
  language: Language;
  timeoutMs: number;
  /** Interpreter prefixes and binaries to make readable inside. */
  readOnly: string[];
  /** Writable dirs outside the work dir (macOS: a TypeScript program's DENO_DIR). */
  writable?: string[];
  memoryMb?: number;
  diskQuotaMb?: number;
  maxProcesses: number;
  /** The private /tmp's size in bytes. @default {64 MiB} */
  tmpBytes?: number;
}

const NOTHING = () => Promise.resolve();

/**
 * Puts `base` (whose `cwd` is the work dir, a real path) in its sandbox. Without one, only the rlimits
 * apply (and not RLIMIT_NPROC, which would count every process of the user).
 *
 * @throws {RangeError} when the work dir is one a program must never own (see {@linkcode workDirProblem}),
 * or the interpreter lives in `/` or a dir holding the home dir (binding it would expose the home dir).
 */
export async function contain(base: Launch, options: ContainOptions): Promise<Contained> {
  const { choice, language, timeoutMs, memoryMb, diskQuotaMb } = options;
  if (choice.kind === "isolated") assertContainable(base, options.readOnly);
  const maxProcesses = choice.kind === "isolated" ? options.maxProcesses : undefined;
  const limits = rlimitsFor({ language, timeoutMs, memoryMb, diskQuotaMb, maxProcesses });
  const steps = { limits, prepare: NOTHING, sweep: NOTHING, restore: NOTHING };
  const command = [base.command, ...base.args];
  if (choice.kind === "unsandboxed") {
    const prlimit = await findTool("prlimit");
    if (!prlimit) return { ...steps, launch: base };
    return { ...steps, launch: { ...base, command: prlimit, args: [...prlimitArgs(limits), ...command] } };
  }
  const { isolation } = choice;
  if (isolation.kind === "sandbox_exec") {
    const spec = { workDir: base.cwd, writable: options.writable ?? [], readOnly: options.readOnly };
    const args = sandboxExecArgs(spec, limits, command);
    return { ...steps, launch: { ...base, command: isolation.path, args } };
  }
  return await inBwrap(base, isolation, { ...options, limits });
}

/** The bwrap launch; as root with the steps that hand the work dir to the run's uid and sweep it. */
async function inBwrap(
  base: Launch,
  isolation: Extract<Isolation, { kind: "bwrap" }>,
  options: ContainOptions & { limits: Rlimits },
): Promise<Contained> {
  const { limits } = options;
  const user = await sandboxUser(isolation);
  const args = bwrapArgs({
    workDir: base.cwd,
    readOnly: options.readOnly,
    layout: await systemLayout(),
    env: base.env,
    user,
    tmpBytes: options.tmpBytes ?? 64 * 1024 * 1024,
    shell: isolation.shell,
    command: [isolation.prlimit, ...prlimitArgs(limits), base.command, ...base.args],
  });
  const launch = { ...base, command: isolation.bwrap, args };
  if (user.kind === "namespace") {
    return { launch, limits, prepare: NOTHING, sweep: NOTHING, restore: NOTHING };
  }
  const [ownUid, ownGid] = [Deno.uid() ?? 0, Deno.gid() ?? 0];
  return {
    launch,
    limits,
    prepare: async () => void await chownTree(base.cwd, user.uid, user.gid),
    sweep: async () => void await killUid(user.uid),
    restore: async () => void await chownTree(base.cwd, ownUid, ownGid),
  };
}

/** Throws a RangeError when the work dir or an interpreter root must not be given to a sandbox. */
function assertContainable(base: Launch, readOnly: string[]): void {
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
 * Why `dir` cannot be a sandbox's work dir (it would be writable by the program, and as root handed to
 * the sandbox user): the root, a shared temp dir, a system dir, or a home dir or one holding it.
 * Undefined when it can. Pure apart from reading HOME.
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
