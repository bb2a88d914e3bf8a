/**
 * Runs programs in their own session and kills whole process trees on Linux, found through `/proc`.
 *
 * `Deno.Command` cannot call `setsid(2)` itself, so children are started through util-linux `setsid`
 * when it is installed: the child is then the leader of a new session and process group whose id is its
 * own pid, and every process it forks stays findable by that id even after its parent has died.
 *
 * @module
 */

/** One process as read from `/proc/<pid>/stat`. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** Process group id. */
  pgid: number;
  /** Session id. */
  sid: number;
  /** One-letter state: `R`, `S`, `D`, `T`, `Z` (zombie), `X` (dead), … */
  state: string;
}

/** Lists the processes on the machine. */
export type ListProcesses = () => Promise<ProcessInfo[]>;

/** Sends a signal to one process. Throws when the process is gone, like `Deno.kill`. */
export type SendSignal = (pid: number, signal: Deno.Signal) => void;

/** Options for {@linkcode killProcessTree}. */
export interface KillTreeOptions {
  /**
   * Follow parent links from `pid`: kill `pid` and its descendants. Turn it off once `pid` has been reaped,
   * since its number may then belong to an unrelated process. @default {true}
   */
  tree?: boolean;
  /** Also kill every process whose process group or session id is `pid`, and their descendants. @default {true} */
  group?: boolean;
  /**
   * How long to wait for the killed processes to be gone (SIGKILL is delivered asynchronously), polling
   * the listing; 0 returns at once. @default {2000}
   */
  settleMs?: number;
  /** @default {listProcesses} */
  listProcesses?: ListProcesses;
  /** @default {Deno.kill} */
  kill?: SendSignal;
}

/** How many times the tree is listed again to catch processes forked while it was being stopped. */
const MAX_ROUNDS = 10;

/**
 * Kills `pid`'s whole process tree with SIGKILL. Processes are found first and frozen with SIGSTOP (a
 * stopped process cannot fork or reparent its children), the listing is repeated until it finds nothing
 * new, and only then is every one of them sent SIGKILL. Zombies are skipped. Resolves once they are all
 * gone (or `settleMs` has passed) with the pids signalled.
 */
export async function killProcessTree(pid: number, options: KillTreeOptions = {}): Promise<number[]> {
  const {
    tree = true,
    group = true,
    settleMs = 2000,
    listProcesses: list = listProcesses,
    kill = Deno.kill,
  } = options;
  const found = new Set<number>();
  if (!tree && !group) return [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const listing = await list();
    if (round === 0 && listing.length === 0) return killWithoutProc(pid, { tree, group, kill });
    const fresh = selectTree(listing, pid, { tree, group, known: found }).filter((p) => !found.has(p));
    if (fresh.length === 0) break;
    for (const p of fresh) {
      found.add(p);
      trySignal(kill, p, "SIGSTOP");
    }
  }
  for (const p of found) trySignal(kill, p, "SIGKILL");
  await waitUntilGone(found, list, settleMs);
  return [...found];
}

/**
 * Without `/proc` (not Linux) only the group and the root itself can be reached: SIGKILL to `-pid` (the
 * process group a `setsid` child leads) and to `pid`.
 */
function killWithoutProc(
  pid: number,
  options: { tree: boolean; group: boolean; kill: SendSignal },
): number[] {
  if (options.group) trySignal(options.kill, -pid, "SIGKILL");
  if (options.tree) trySignal(options.kill, pid, "SIGKILL");
  return [];
}

/** Waits until none of `pids` is listed as a live process, or `settleMs` has passed. */
async function waitUntilGone(pids: Set<number>, list: ListProcesses, settleMs: number): Promise<void> {
  const deadline = performance.now() + settleMs;
  while (pids.size > 0 && performance.now() < deadline) {
    const live = (await list()).filter((p) => pids.has(p.pid) && p.state !== "Z" && p.state !== "X");
    if (live.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Picks the live processes belonging to `root`'s tree from a listing: `root` itself and its descendants
 * (with `tree`), members of the session or process group `root` leads and their descendants (with
 * `group`), and descendants of any `known` pid. Pure.
 */
export function selectTree(
  processes: ProcessInfo[],
  root: number,
  options: { tree: boolean; group: boolean; known?: Iterable<number> },
): number[] {
  const live = processes.filter((p) => p.state !== "Z" && p.state !== "X");
  const members = new Set<number>(options.known ?? []);
  if (options.tree) members.add(root);
  if (options.group) {
    for (const p of live) if (p.pgid === root || p.sid === root) members.add(p.pid);
  }
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of live) {
      if (!members.has(p.pid) && members.has(p.ppid)) {
        members.add(p.pid);
        grew = true;
      }
    }
  }
  const alive = new Set(live.map((p) => p.pid));
  return [...members].filter((p) => alive.has(p));
}

/**
 * Reads every process's `/proc/<pid>/stat`. Processes that vanish while being read are left out; empty
 * when there is no `/proc` (not Linux).
 */
export async function listProcesses(): Promise<ProcessInfo[]> {
  const pids: number[] = [];
  try {
    for await (const entry of Deno.readDir("/proc")) {
      if (/^\d+$/.test(entry.name)) pids.push(Number(entry.name));
    }
  } catch {
    return [];
  }
  const infos = await Promise.all(pids.map(readProcess));
  return infos.filter((p): p is ProcessInfo => p !== undefined);
}

/**
 * Reads one process's `/proc/<pid>/stat`; undefined when it does not exist. A process whose leader thread
 * has exited shows `Z` there while its other threads may still run: its state is then that of a live
 * thread (see {@linkcode liveThreadState}), so it is never taken for a zombie.
 */
export async function readProcess(pid: number): Promise<ProcessInfo | undefined> {
  let info: ProcessInfo | undefined;
  try {
    info = parseStat(await Deno.readTextFile(`/proc/${pid}/stat`));
  } catch {
    return undefined;
  }
  if (info?.state !== "Z" && info?.state !== "X") return info;
  const live = await liveThreadState(pid);
  return live === undefined ? info : { ...info, state: live };
}

/**
 * The state of a live thread of `pid` (`R`, `S`, `T`, …), from `/proc/<pid>/task/<tid>/stat`; undefined
 * when every thread is a zombie or dead, or the process is gone.
 */
export async function liveThreadState(pid: number): Promise<string | undefined> {
  try {
    for await (const task of Deno.readDir(`/proc/${pid}/task`)) {
      const stat = await Deno.readTextFile(`/proc/${pid}/task/${task.name}/stat`).catch(() => "");
      const state = parseStat(stat)?.state;
      if (state !== undefined && state !== "Z" && state !== "X") return state;
    }
  } catch {
    // Gone.
  }
  return undefined;
}

/** Parses a `/proc/<pid>/stat` line. The command name may hold spaces and parentheses. Pure. */
export function parseStat(line: string): ProcessInfo | undefined {
  const close = line.lastIndexOf(")");
  if (close < 0) return undefined;
  const [state, ppid, pgid, sid] = line.slice(close + 2).split(" ");
  const info = { pid: parseInt(line, 10), ppid: Number(ppid), pgid: Number(pgid), sid: Number(sid), state };
  return Number.isInteger(info.pid) && Number.isInteger(info.sid) ? info : undefined;
}

/** A command line, possibly wrapped to start in a new session. */
export interface SessionCommand {
  command: string;
  args: string[];
  /** True when the child will lead its own session and process group (pgid = sid = its pid). */
  ownSession: boolean;
}

/**
 * Wraps `command` in util-linux `setsid` so it starts in a new session, when `setsidPath` is given or
 * `setsid` is found on PATH (or in /usr/bin, /bin). Without it the command runs as is and only the ppid
 * links of a live tree can be followed. `setsid` execs in place (the spawned child is never a group
 * leader), so the child's pid is the program's pid; `--wait` keeps the exit status if it ever forks.
 */
export async function inNewSession(
  command: string,
  args: string[],
  setsidPath: string | null | undefined = undefined,
): Promise<SessionCommand> {
  const setsid = setsidPath === undefined ? await findSetsid() : setsidPath;
  if (setsid === null) return { command, args, ownSession: false };
  return { command: setsid, args: ["--wait", command, ...args], ownSession: true };
}

let setsidLookup: Promise<string | null> | undefined;

/** Finds util-linux `setsid` once per process; null when it is not installed. */
export function findSetsid(): Promise<string | null> {
  setsidLookup ??= findExecutable("setsid", [
    ...(Deno.env.get("PATH") ?? "").split(":").filter((d) => d !== ""),
    "/usr/bin",
    "/bin",
  ]);
  return setsidLookup;
}

async function findExecutable(name: string, dirs: string[]): Promise<string | null> {
  for (const dir of dirs) {
    const path = `${dir}/${name}`;
    try {
      const info = await Deno.stat(path);
      if (info.isFile && ((info.mode ?? 0) & 0o111) !== 0) return path;
    } catch {
      // Not in this directory.
    }
  }
  return null;
}

function trySignal(kill: SendSignal, pid: number, signal: Deno.Signal): void {
  try {
    kill(pid, signal);
  } catch {
    // Already gone.
  }
}
