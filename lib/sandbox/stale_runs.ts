/**
 * What a factory killed with SIGKILL left behind: the control groups of its runs (maybe still holding a
 * double-forked survivor) and the tmpfs and binds of their work dirs. Found by the owner in their names
 * (`factory-<pid namespace>-<pid>-…`), removed once per process before the first run when the owner was in
 * our pid namespace and is no longer alive (a factory in another pid namespace is never judged).
 *
 * @module
 */

import type { CgroupSupport } from "./cgroup.ts";
import { ownerTag, runGroup } from "./run_group.ts";
import { mounter } from "./_mounts.ts";

/** What {@linkcode sweepStaleRuns} removed. */
export interface StaleSweep {
  groups: string[];
  mounts: string[];
}

/** Options of {@linkcode sweepStaleRuns}, for tests. */
export interface StaleOptions {
  /** True while a process with this pid exists. @default {a look at /proc} */
  alive?: (pid: number) => boolean;
  /** The text of `/proc/self/mountinfo`. @default read from the system */
  mountinfo?: string;
  /** Unmounts one mount point (lazily when busy). @default the work dirs' mounter */
  unmount?: (path: string) => Promise<void>;
}

let swept: Promise<StaleSweep> | undefined;

/** {@linkcode sweepStaleRuns} once per process, for the real machine. */
export function sweepStaleRunsOnce(support: CgroupSupport): Promise<StaleSweep> {
  swept ??= sweepStaleRuns(support).catch(() => ({ groups: [], mounts: [] }));
  return swept;
}

/** Kills and removes the groups, and unmounts the work dirs, of factories that are gone. Never throws for one. */
export async function sweepStaleRuns(
  support: CgroupSupport,
  options: StaleOptions = {},
): Promise<StaleSweep> {
  const alive = options.alive ?? ((pid) => pidExists(pid));
  const [ourNs] = ownerTag().split("-");
  const dead = (ns: string, pid: number) => ns === ourNs && pid !== Deno.pid && !alive(pid);
  const groups: string[] = [];
  if (support.kind !== "none") {
    const parent = support.kind === "v1" ? support.parents.freezer : support.parent;
    for await (const entry of Deno.readDir(parent)) {
      const owner = /^factory-(\d+)-(\d+)-\d+-[0-9a-f]+$/.exec(entry.name);
      if (!owner || !dead(owner[1], Number(owner[2]))) continue;
      const group = runGroup(support, { memoryBytes: 0, maxTasks: 0 }, entry.name);
      await group.kill();
      await group.remove();
      groups.push(entry.name);
    }
  }
  const mountinfo = options.mountinfo ?? await Deno.readTextFile("/proc/self/mountinfo").catch(() => "");
  const mounts = staleMounts(mountinfo, dead);
  const unmount = options.unmount ?? (async (path: string) => await (await mounter()).unmount([path]));
  for (const path of mounts) await unmount(path).catch(() => {});
  return { groups, mounts };
}

/**
 * The mount points, deepest first, of a dead factory's work dirs: tmpfs mounts named `factory-<ns>-<pid>`
 * and the binds under its `factory-mounts-<ns>-<pid>-…` dir. Pure.
 */
export function staleMounts(mountinfo: string, dead: (ns: string, pid: number) => boolean): string[] {
  const found: string[] = [];
  for (const line of mountinfo.split("\n")) {
    const [before, after] = line.split(" - ");
    if (after === undefined) continue;
    const point = unescape(before.split(" ")[4] ?? "");
    const [fstype, source] = after.split(" ");
    const owner = (fstype === "tmpfs" ? /^factory-(\d+)-(\d+)$/.exec(source) : null) ??
      /\/factory-mounts-(\d+)-(\d+)-[^/]+\/[^/]+$/.exec(point);
    if (owner && dead(owner[1], Number(owner[2]))) found.push(point);
  }
  return found.sort((a, b) => b.length - a.length);
}

/** mountinfo writes space, tab, newline and backslash as octal escapes. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8)));
}

function pidExists(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}
