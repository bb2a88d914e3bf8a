/**
 * The per-run sandbox user of a root orchestrator: a fresh unprivileged uid no process uses, and a sweep
 * that kills every process it still has, wherever it went. (Its work dir is a tmpfs of its own, see
 * `work_mount.ts`: no tree is ever handed to it and back.)
 *
 * A process cannot change its uid without privileges, so "every process with this uid" is exactly what
 * the program started: double forks, `setsid` and reparenting to init do not hide anything from the sweep.
 *
 * @module
 */

import { liveThreadState } from "./process_tree.ts";

/** The sandbox uids (and gids) are picked from here: far above people, system users and subuid ranges. */
export const SANDBOX_UID_BASE = 2_100_000_000;
/** How many uids the range holds. */
export const SANDBOX_UID_COUNT = 1_000_000;

/** Reads the uids (real, effective, saved, filesystem) of every process, by pid. */
export type ListUids = () => Promise<Map<number, number[]>>;

/** Sends a signal to one process. Throws when the process is gone, like `Deno.kill`. */
export type SendSignal = (pid: number, signal: Deno.Signal) => void;

/** Picks a uid from the sandbox range that no process runs as. */
export async function pickSandboxUid(listUids: ListUids = processUids): Promise<number> {
  const inUse = new Set([...(await listUids()).values()].flat());
  for (let tries = 0; tries < 100; tries++) {
    const [n] = crypto.getRandomValues(new Uint32Array(1));
    const uid = SANDBOX_UID_BASE + (n % SANDBOX_UID_COUNT);
    if (!inUse.has(uid)) return uid;
  }
  throw new Error("Cannot pick a sandbox uid: every pick was in use");
}

/** Options of {@linkcode killUid}. */
export interface KillUidOptions {
  /** How long to wait for the killed processes to be gone. @default {2000} */
  settleMs?: number;
  /** @default {processUids} */
  listUids?: ListUids;
  /** @default {Deno.kill} */
  kill?: SendSignal;
}

/**
 * Kills every process running as `uid`: each is frozen with SIGSTOP (so it cannot fork), the listing is
 * repeated until it finds nothing new, then all get SIGKILL. Resolves with the pids signalled once they
 * are gone (or `settleMs` passed).
 *
 * @throws {RangeError} when `uid` is outside the sandbox range (a safeguard: never sweep a real user).
 */
export async function killUid(uid: number, options: KillUidOptions = {}): Promise<number[]> {
  if (uid < SANDBOX_UID_BASE || uid >= SANDBOX_UID_BASE + SANDBOX_UID_COUNT) {
    throw new RangeError(`Cannot sweep uid ${uid}: it is not a sandbox uid`);
  }
  const { settleMs = 2000, listUids = processUids, kill = Deno.kill } = options;
  const found = new Set<number>();
  for (let round = 0; round < 20; round++) {
    const fresh = owned(await listUids(), uid).filter((pid) => !found.has(pid));
    if (fresh.length === 0) break;
    for (const pid of fresh) {
      found.add(pid);
      trySignal(kill, pid, "SIGSTOP");
    }
  }
  for (const pid of found) trySignal(kill, pid, "SIGKILL");
  const deadline = performance.now() + settleMs;
  while (found.size > 0 && performance.now() < deadline) {
    if (owned(await listUids(), uid).length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return [...found];
}

function owned(uids: Map<number, number[]>, uid: number): number[] {
  return [...uids].filter(([, ids]) => ids.includes(uid)).map(([pid]) => pid);
}

/**
 * The uids of every live process, from the `Uid:` line of `/proc/<pid>/status`: unlike the owner of
 * `/proc/<pid>`, it cannot be hidden by making the process non-dumpable. Zombies are left out, but not a
 * process whose leader thread has exited while another thread still runs (its leader shows `Z`).
 */
export async function processUids(): Promise<Map<number, number[]>> {
  const uids = new Map<number, number[]>();
  const pids: number[] = [];
  try {
    for await (const entry of Deno.readDir("/proc")) {
      if (/^\d+$/.test(entry.name)) pids.push(Number(entry.name));
    }
  } catch {
    return uids;
  }
  await Promise.all(pids.map(async (pid) => {
    const status = await Deno.readTextFile(`/proc/${pid}/status`).catch(() => "");
    if (/^State:\s+[ZX]/m.test(status) && await liveThreadState(pid) === undefined) return;
    const line = /^Uid:\s+(.*)$/m.exec(status);
    if (line) uids.set(pid, line[1].trim().split(/\s+/).map(Number));
  }));
  return uids;
}

function trySignal(kill: SendSignal, pid: number, signal: Deno.Signal): void {
  try {
    kill(pid, signal);
  } catch {
    // Already gone.
  }
}
