/**
 * Wrapping a program's launch plan in the chosen sandbox, its rlimits and its control group, with what
 * has to happen around the run: the group made and emptied, the work dir's tmpfs (as root), the sweep of
 * whatever the run left, and factory's notes on it.
 *
 * @module
 */

import type { Language, RunNote } from "../types.ts";
import type { Launch } from "./_launch.ts";
import { launcherCommand } from "./_launcher.ts";
import { bwrapArgs, procFstab, type SandboxUser, systemLayout } from "./bwrap.ts";
import { type CgroupSupport, detectCgroups } from "./cgroup.ts";
import { groupNotes, workDirNotes } from "./_run_notes.ts";
import { DEFAULT_MAX_ENTRIES } from "./disk_watch.ts";
import {
  DEFAULT_DISK_QUOTA_MB,
  DEFAULT_MEMORY_MB,
  prlimitArgs,
  type Rlimits,
  rlimitsFor,
} from "./rlimits.ts";
import { type RunGroup, runGroup } from "./run_group.ts";
import { sandboxExecArgs } from "./sandbox_exec.ts";
import { sweepStaleRunsOnce } from "./stale_runs.ts";
import { type Isolation, type SandboxChoice, sandboxUser } from "./sandbox_mode.ts";
import { keyringFilterFile } from "./seccomp.ts";
import { privateTextFile } from "./_private_files.ts";
import { killUid } from "./sandbox_user.ts";
import { workMount } from "./work_mount.ts";
import { findTool } from "../host/find_tool.ts";
import { assertContainable } from "./_work_dir_rules.ts";

export { workDirProblem } from "./_work_dir_rules.ts";

/** What factory learned about a run once it is over. */
export interface Aftermath {
  notes: RunNote[];
  peakMemoryBytes?: number;
}

/** A launch plan inside its sandbox, and the steps around it. */
export interface Contained {
  launch: Launch;
  limits: Rlimits;
  /** True when a file system caps the work dir, so it need not be measured while the program runs. */
  boundedWorkDir: boolean;
  /** True when `sweep` kills every process of the run by itself (they are all in its control group). */
  sweepsAll: boolean;
  /** Before the run: makes the control group and the work dir's tmpfs. */
  prepare(): Promise<void>;
  /** Right after the process tree is killed: kills whatever is left of the run (group, uid). */
  sweep(): Promise<void>;
  /** After the run (also after a failed `prepare`): takes the work dir back, releases everything. Once. */
  restore(): Promise<Aftermath>;
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
  /** Entries the work dir may hold. @default {DEFAULT_MAX_ENTRIES} */
  maxEntries?: number;
  maxProcesses: number;
  /** The private /tmp's size in bytes. @default {64 MiB} */
  tmpBytes?: number;
  /** Finds the control groups this machine has. @default {detectCgroups} */
  cgroups?: () => Promise<CgroupSupport>;
  /** False when nothing need come back out of the work dir (a `test` check's fresh dir). @default {true} */
  keepWorkDir?: boolean;
}

/** Steps that do nothing, for the parts a sandbox does not need. */
interface Steps {
  boundedWorkDir: boolean;
  prepare(): Promise<void>;
  sweep(): Promise<void>;
  /** `allDead`: a control group proved every process of the run dead. */
  restore(allDead: boolean): Promise<RunNote[]>;
}

const NO_STEPS: Steps = {
  boundedWorkDir: false,
  prepare: () => Promise.resolve(),
  sweep: () => Promise.resolve(),
  restore: () => Promise.resolve([]),
};

/**
 * Puts `base` (whose `cwd` is the work dir, a real path) in its sandbox and, where this machine allows
 * it, in a control group of its own. Without an OS sandbox only the rlimits and the group apply (and not
 * RLIMIT_NPROC, which would count every process of the user).
 *
 * @throws {RangeError} when the work dir is one a program must never own (see {@linkcode workDirProblem}),
 * or the interpreter lives in `/` or a dir holding the home dir (binding it would expose the home dir).
 */
export async function contain(base: Launch, options: ContainOptions): Promise<Contained> {
  const { choice, language, timeoutMs, memoryMb, diskQuotaMb } = options;
  if (choice.kind === "isolated") assertContainable(base, options.readOnly);
  const maxProcesses = choice.kind === "isolated" ? options.maxProcesses : undefined;
  const limits = rlimitsFor({ language, timeoutMs, memoryMb, diskQuotaMb, maxProcesses });
  const group = await groupOf(options);
  const command = [base.command, ...base.args];
  const shell = choice.kind === "isolated" && choice.isolation.kind === "bwrap"
    ? choice.isolation.shell
    : await findTool("sh");
  const wrap = (inner: string[], readFds: Record<number, string> = {}): Launch => {
    const joinFiles = group?.joinFiles ?? [];
    const [head, ...rest] = shell ? launcherCommand(shell, { joinFiles, readFds }, inner) : inner;
    return { ...base, command: head, args: rest };
  };
  if (choice.kind === "unsandboxed") {
    const prlimit = await findTool("prlimit");
    const launch = wrap(prlimit ? [prlimit, ...prlimitArgs(limits), ...command] : command);
    return withGroup({ launch, limits, ...NO_STEPS }, group, options);
  }
  const { isolation } = choice;
  if (isolation.kind === "sandbox_exec") {
    const spec = { workDir: base.cwd, writable: options.writable ?? [], readOnly: options.readOnly };
    const launch = { ...base, command: isolation.path, args: sandboxExecArgs(spec, limits, command) };
    return withGroup({ launch, limits, ...NO_STEPS }, undefined, options);
  }
  const { args, steps, seccomp } = await inBwrap(base, isolation, options, limits);
  const launch = wrap([isolation.bwrap, ...args], seccomp ? { [SECCOMP_FD]: seccomp } : {});
  return withGroup({ launch, limits, ...steps }, group, options);
}

/** The descriptor the launcher opens bubblewrap's seccomp filter on. */
const SECCOMP_FD = 9;

/** The bwrap arguments, and as root the steps around the run: the tmpfs work dir and the uid's sweep. */
async function inBwrap(
  base: Launch,
  isolation: Extract<Isolation, { kind: "bwrap" }>,
  options: ContainOptions,
  limits: Rlimits,
): Promise<{ args: string[]; steps: Steps; seccomp?: string }> {
  const user = await sandboxUser(isolation);
  const seccomp = await keyringFilterFile();
  const mount = user.kind === "switch" ? workMountFor(base.cwd, user, options) : undefined;
  const layout = await systemLayout();
  const fstab = user.kind === "switch"
    ? await privateTextFile("proc.fstab", procFstab(layout.keyFiles ?? []))
    : undefined;
  const args = bwrapArgs({
    workDir: base.cwd,
    seccompFd: seccomp ? SECCOMP_FD : undefined,
    procFstab: fstab,
    readOnly: options.readOnly,
    layout,
    env: base.env,
    user,
    tmpBytes: options.tmpBytes ?? 64 * 1024 * 1024,
    shell: isolation.shell,
    command: [isolation.prlimit, ...prlimitArgs(limits), base.command, ...base.args],
  });
  if (user.kind === "namespace" || mount === undefined) return { args, steps: NO_STEPS, seccomp };
  const steps: Steps = {
    boundedWorkDir: true,
    prepare: () => mount.mount(),
    sweep: async () => void await killUid(user.uid),
    restore: async (allDead) => {
      try {
        const left = allDead ? [] : await killUid(user.uid);
        if (left.length > 0) {
          return [{ kind: "work_dir", text: "processes of the run outlived it: its work dir was not kept" }];
        }
        if (options.keepWorkDir === false || !mount.mounted) return [];
        return workDirNotes(await mount.copyOut(), {
          quotaBytes: (options.diskQuotaMb ?? DEFAULT_DISK_QUOTA_MB) * 1024 * 1024,
          maxEntries: options.maxEntries ?? DEFAULT_MAX_ENTRIES,
        });
      } finally {
        await mount.remove();
      }
    },
  };
  return { args, steps, seccomp };
}

function workMountFor(
  workDir: string,
  user: Extract<SandboxUser, { kind: "switch" }>,
  options: ContainOptions,
) {
  return workMount({
    workDir,
    uid: user.uid,
    gid: user.gid,
    sizeBytes: (options.diskQuotaMb ?? DEFAULT_DISK_QUOTA_MB) * 1024 * 1024,
    maxEntries: options.maxEntries ?? DEFAULT_MAX_ENTRIES,
  });
}

/** The run's control group, when this machine has them; undefined otherwise. */
async function groupOf(options: ContainOptions): Promise<RunGroup | undefined> {
  const support = await (options.cgroups ?? detectCgroups)();
  if (!options.cgroups) await sweepStaleRunsOnce(support);
  if (support.kind === "none") return undefined;
  const memoryBytes = (options.memoryMb ?? DEFAULT_MEMORY_MB) * 1024 * 1024;
  return runGroup(support, { memoryBytes, maxTasks: options.maxProcesses });
}

/** Adds the group's steps around `inner`'s: made first, emptied first, measured and removed last. */
function withGroup(
  inner: Steps & { launch: Launch; limits: Rlimits },
  group: RunGroup | undefined,
  options: ContainOptions,
): Contained {
  let restored: Promise<Aftermath> | undefined;
  const restore = async (): Promise<Aftermath> => {
    const emptied = group ? await group.kill() : { empty: false, signalled: 0 };
    const notes = await inner.restore(emptied.empty);
    if (!group) return { notes };
    const usage = await group.usage();
    await group.remove();
    const limitNotes = groupNotes(usage, emptied.empty, {
      memoryBytes: (options.memoryMb ?? DEFAULT_MEMORY_MB) * 1024 * 1024,
      maxTasks: options.maxProcesses,
    });
    return { notes: [...limitNotes, ...notes], peakMemoryBytes: usage.peakMemoryBytes };
  };
  return {
    launch: inner.launch,
    limits: inner.limits,
    boundedWorkDir: inner.boundedWorkDir,
    sweepsAll: group !== undefined,
    prepare: async () => {
      await group?.create();
      await inner.prepare();
    },
    sweep: async () => {
      await group?.kill();
      await inner.sweep();
    },
    restore: () => restored ??= restore(),
  };
}
