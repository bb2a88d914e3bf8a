/**
 * The control group of one program run: made before the run with its limits, joined by the launcher
 * before anything of the program starts, and at the end frozen, emptied with SIGKILL and removed.
 *
 * @module
 */

import type { CgroupSupport } from "./cgroup.ts";

/** What a run's group measured. */
export interface GroupUsage {
  /** The most memory the group held at once, in bytes (v1 always; v2 from kernel 5.19). */
  peakMemoryBytes?: number;
  /** Processes the kernel's OOM killer ended in the group. */
  oomKills: number;
  /** Times a fork or thread creation failed at the task limit. */
  taskLimitHits: number;
}

/** One run's control group. */
export interface RunGroup {
  /** The files a process writes its pid to, to join the group: one per hierarchy. */
  joinFiles: string[];
  /** Makes the group and sets its limits. */
  create(): Promise<void>;
  /**
   * Freezes the group, sends SIGKILL to every task in it (every thread, so a process whose leader thread
   * has exited is reached too), thaws it and waits until it is empty. Resolves with how many tasks were
   * signalled and whether the group is empty now.
   */
  kill(): Promise<{ signalled: number; empty: boolean }>;
  usage(): Promise<GroupUsage>;
  /** Removes the group's dirs (after `kill`); never throws. */
  remove(): Promise<void>;
}

/** The bounds of a run's group. */
export interface GroupLimits {
  /** Memory of the whole group: anonymous, page cache, tmpfs and memfd pages, kernel memory (v1). */
  memoryBytes: number;
  /** Tasks (processes and threads) at once. */
  maxTasks: number;
}

let counter = 0;
let tag: string | undefined;

/**
 * `<pid namespace>-<our pid>`: what names this process's groups and mounts, so what a dead factory left can
 * be told from what a live one (in this pid namespace or another) uses.
 */
export function ownerTag(): string {
  if (tag === undefined) {
    let ns = "0";
    try {
      ns = /\[(\d+)\]/.exec(Deno.readLinkSync("/proc/self/ns/pid"))?.[1] ?? "0";
    } catch {
      // No /proc: not Linux.
    }
    tag = `${ns}-${Deno.pid}`;
  }
  return tag;
}

/** The name of a new group: `factory-<ownerTag>-<n>-<random>`. */
export function groupName(): string {
  return `factory-${ownerTag()}-${++counter}-${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * A run group under `support` (not yet made: call `create`), named `name` (a new name by default; an
 * existing group's name to kill and remove what a dead factory left).
 */
export function runGroup(
  support: Exclude<CgroupSupport, { kind: "none" }>,
  limits: GroupLimits,
  name: string = groupName(),
): RunGroup {
  return support.kind === "v1" ? v1Group(support, name, limits) : v2Group(support.parent, name, limits);
}

const SETTLE_MS = 3000;

function v1Group(
  support: Extract<CgroupSupport, { kind: "v1" }>,
  name: string,
  limits: GroupLimits,
): RunGroup {
  const dirs = {
    memory: `${support.parents.memory}/${name}`,
    pids: `${support.parents.pids}/${name}`,
    freezer: `${support.parents.freezer}/${name}`,
  };
  const all = [dirs.memory, dirs.pids, dirs.freezer];
  return {
    joinFiles: all.map((dir) => `${dir}/cgroup.procs`),
    async create() {
      for (const dir of all) await Deno.mkdir(dir);
      await Deno.writeTextFile(`${dirs.memory}/memory.limit_in_bytes`, String(limits.memoryBytes));
      if (support.swapAccounting) {
        await Deno.writeTextFile(`${dirs.memory}/memory.memsw.limit_in_bytes`, String(limits.memoryBytes));
      }
      await Deno.writeTextFile(`${dirs.pids}/pids.max`, String(limits.maxTasks));
    },
    async kill() {
      let signalled = 0;
      const deadline = performance.now() + SETTLE_MS;
      while (performance.now() < deadline) {
        const tasks = await ids(`${dirs.freezer}/tasks`);
        if (tasks.length === 0) return { signalled, empty: true };
        await write(`${dirs.freezer}/freezer.state`, "FROZEN");
        await until(async () => (await readText(`${dirs.freezer}/freezer.state`)).trim() === "FROZEN", 500);
        for (const tid of await ids(`${dirs.freezer}/tasks`)) signalled += signal(tid);
        await write(`${dirs.freezer}/freezer.state`, "THAWED");
        await until(async () => (await ids(`${dirs.freezer}/tasks`)).length === 0, 500);
      }
      return { signalled, empty: (await ids(`${dirs.freezer}/tasks`)).length === 0 };
    },
    async usage() {
      const peak = Number((await readText(`${dirs.memory}/memory.max_usage_in_bytes`)).trim());
      return {
        peakMemoryBytes: Number.isFinite(peak) && peak > 0 ? peak : undefined,
        oomKills: counterOf(await readText(`${dirs.memory}/memory.oom_control`), "oom_kill"),
        taskLimitHits: counterOf(await readText(`${dirs.pids}/pids.events`), "max"),
      };
    },
    async remove() {
      for (const dir of all) await removeGroupDir(dir);
    },
  };
}

function v2Group(parent: string, name: string, limits: GroupLimits): RunGroup {
  const dir = `${parent}/${name}`;
  return {
    joinFiles: [`${dir}/cgroup.procs`],
    async create() {
      await Deno.mkdir(dir);
      await Deno.writeTextFile(`${dir}/memory.max`, String(limits.memoryBytes));
      await write(`${dir}/memory.swap.max`, "0");
      await Deno.writeTextFile(`${dir}/pids.max`, String(limits.maxTasks));
    },
    async kill() {
      let signalled = 0;
      const populated = async () => /^populated 1$/m.test(await readText(`${dir}/cgroup.events`));
      const deadline = performance.now() + SETTLE_MS;
      while (await populated() && performance.now() < deadline) {
        if (await write(`${dir}/cgroup.kill`, "1")) {
          signalled++;
        } else {
          await write(`${dir}/cgroup.freeze`, "1");
          await until(async () => /^frozen 1$/m.test(await readText(`${dir}/cgroup.events`)), 500);
          for (const tid of await ids(`${dir}/cgroup.threads`)) signalled += signal(tid);
          await write(`${dir}/cgroup.freeze`, "0");
        }
        await until(async () => !(await populated()), 500);
      }
      return { signalled, empty: !(await populated()) };
    },
    async usage() {
      const peak = Number((await readText(`${dir}/memory.peak`)).trim());
      return {
        peakMemoryBytes: Number.isFinite(peak) && peak > 0 ? peak : undefined,
        oomKills: counterOf(await readText(`${dir}/memory.events`), "oom_kill"),
        taskLimitHits: counterOf(await readText(`${dir}/pids.events`), "max"),
      };
    },
    remove: () => removeGroupDir(dir),
  };
}

/** The numbers listed one per line in a cgroup file (`tasks`, `cgroup.procs`). */
async function ids(path: string): Promise<number[]> {
  return (await readText(path)).split("\n").filter((line) => /^\d+$/.test(line)).map(Number);
}

/** The value of `key N` in a flat-keyed cgroup file; 0 when absent. Pure. */
export function counterOf(text: string, key: string): number {
  const match = new RegExp(`^${key} (\\d+)$`, "m").exec(text);
  return match ? Number(match[1]) : 0;
}

/** SIGKILL to a task id: `kill(2)` with any thread's id signals its whole thread group. */
function signal(tid: number): number {
  try {
    Deno.kill(tid, "SIGKILL");
    return 1;
  } catch {
    return 0;
  }
}

async function removeGroupDir(dir: string): Promise<void> {
  for (let tries = 0; tries < 50; tries++) {
    try {
      await Deno.remove(dir);
      return;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      await delay(10);
    }
  }
}

async function until(done: () => Promise<boolean>, maxMs: number): Promise<void> {
  const deadline = performance.now() + maxMs;
  while (!(await done()) && performance.now() < deadline) await delay(2);
}

async function write(path: string, text: string): Promise<boolean> {
  try {
    await Deno.writeTextFile(path, text);
    return true;
  } catch {
    return false;
  }
}

async function readText(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return "";
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
