/**
 * Helpers of the hostile-program suite: running a program through the real executor, a world outside the
 * work dir to attack (a fake home with an SSH key, a target file), and finding survivors.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type ExecOptions, execute } from "../../lib/sandbox/execute.ts";
import { detectIsolation } from "../../lib/sandbox/sandbox_mode.ts";
import { detectCgroups } from "../../lib/sandbox/cgroup.ts";
import { ownerTag } from "../../lib/sandbox/run_group.ts";
import { processUids, SANDBOX_UID_BASE } from "../../lib/sandbox/sandbox_user.ts";
import type { ExecResult, Language } from "../../lib/types.ts";

/** Bounds small enough to keep the suite fast; every test still goes through the real executor. */
export const SMALL: Omit<ExecOptions, "timeoutMs"> = { memoryMb: 256, diskQuotaMb: 32 };

/** A run of one hostile program, in a fresh work dir removed on dispose. */
export interface HostileRun extends AsyncDisposable {
  result: ExecResult;
  dir: string;
  /** Reads a file the program wrote in its work dir. */
  read(name: string): Promise<string>;
}

/** Runs `code` through `execute()` in a fresh work dir (outside /tmp, so its private /tmp hides nothing). */
export async function runHostile(
  language: Language,
  code: string,
  options: Partial<ExecOptions> = {},
): Promise<HostileRun> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ dir: "/var/tmp", prefix: "factory-hostile-" }));
  const result = await execute({ language, code, dir }, { timeoutMs: 20_000, ...SMALL, ...options });
  await assertNoGroupLeft();
  return {
    result,
    dir,
    read: (name) => Deno.readTextFile(join(dir, name)),
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

/**
 * Fails when a control group of ours is left: a run's group is removed only once it is empty, so none left
 * means no process of any run is alive (the check by cgroup; {@linkcode assertNoSurvivor} checks by uid).
 */
export async function assertNoGroupLeft(): Promise<void> {
  const support = await detectCgroups();
  if (support.kind === "none") return;
  const parents = support.kind === "v1" ? Object.values(support.parents) : [support.parent];
  for (const parent of parents) {
    const left = (await Array.fromAsync(Deno.readDir(parent))).map((e) => e.name)
      .filter((name) => name.startsWith(`factory-${ownerTag()}-`));
    assert.deepEqual(left, [], `control groups left under ${parent}`);
  }
}

/** Narrows a result to `kind`, failing with the whole result otherwise. */
export function expectKind<K extends ExecResult["kind"]>(
  result: ExecResult,
  kind: K,
): Extract<ExecResult, { kind: K }> {
  assert.equal(result.kind, kind, JSON.stringify(result).slice(0, 2000));
  return result as Extract<ExecResult, { kind: K }>;
}

/**
 * What factory itself noted about a run (a limit that stopped it, an entry it could not take back): the
 * result's structured notes, never lines of the program's own output.
 */
export function sandboxNotes(result: ExecResult): string[] {
  const notes = (result as { notes?: { text: string }[] }).notes ?? [];
  return notes.map((note) => note.text);
}

/** The stdout and stderr of a run, joined, for assertions on what the program saw. */
export function output(result: ExecResult): string {
  return result.kind === "refused" ? result.reason : `${result.stdout.text}\n${result.stderr.text}`;
}

/** A world outside the work dir: a fake home with an SSH key and a file to tamper with. */
export interface OutsideWorld extends AsyncDisposable {
  home: string;
  key: string;
  /** A private key's text: it must never show up in a program's output. */
  secret: string;
  target: string;
  /** Fails when the key, the target or the home dir changed (content, owner, mode, entries). */
  assertUntouched(): Promise<void>;
}

/** Creates the outside world under /var/tmp (the sandbox hides it; no private /tmp does the job for it). */
export async function outsideWorld(): Promise<OutsideWorld> {
  const home = await Deno.realPath(await Deno.makeTempDir({ dir: "/var/tmp", prefix: "factory-home-" }));
  await Deno.mkdir(join(home, ".ssh"), { mode: 0o700 });
  const secret = `-----BEGIN FAKE KEY ${crypto.randomUUID()}-----`;
  const key = join(home, ".ssh", "id_ed25519");
  const target = join(home, "target.txt");
  await Deno.writeTextFile(key, secret, { mode: 0o600 });
  await Deno.writeTextFile(target, "original\n", { mode: 0o644 });
  const before = await snapshot(home, [key, target]);
  return {
    home,
    key,
    secret,
    target,
    assertUntouched: async () => assert.deepEqual(await snapshot(home, [key, target]), before),
    [Symbol.asyncDispose]: () => Deno.remove(home, { recursive: true }),
  };
}

async function snapshot(home: string, files: string[]) {
  const entries = (await Array.fromAsync(Deno.readDir(home))).map((e) => e.name).sort();
  const states = await Promise.all(files.map(async (f) => {
    const info = await Deno.lstat(f);
    return { f, text: await Deno.readTextFile(f), uid: info.uid, gid: info.gid, mode: info.mode };
  }));
  return { entries, states };
}

/** Python that records who the program is, for the survivor check: `marker.json` in the work dir. */
export const PY_MARK = `import json as _j, os as _o
_j.dump({"uid": _o.getuid(), "pidns": _o.readlink("/proc/self/ns/pid")}, open("marker.json", "w"))
`;

/**
 * Fails when any process of the sandboxed program is still alive: every process of its sandbox uid (as
 * root each run has its own), or of its pid namespace (otherwise).
 */
export async function assertNoSurvivor(markerJson: string): Promise<void> {
  const marker = JSON.parse(markerJson) as { uid: number; pidns: string };
  if (marker.uid >= SANDBOX_UID_BASE) {
    const left = await processesOfUid(marker.uid);
    assert.deepEqual(left, [], `processes of sandbox uid ${marker.uid} are still alive`);
    return;
  }
  const ownNs = await Deno.readLink("/proc/self/ns/pid");
  assert.notEqual(marker.pidns, ownNs, "the program ran in a pid namespace of its own");
  const left: number[] = [];
  for (const pid of (await processUids()).keys()) {
    if ((await Deno.readLink(`/proc/${pid}/ns/pid`).catch(() => "")) === marker.pidns) left.push(pid);
  }
  assert.deepEqual(left, [], `processes of the sandbox's pid namespace are still alive`);
}

/**
 * Python: a double-forked, `setsid` grandchild whose beacon thread appends to `beacon` every 20 ms while
 * its leader thread ends with the raw `exit` syscall (the process then shows `Z`). Its pid is written to
 * `survivor`. `also` is more Python run in the grandchild, indented by 8 spaces, before the leader exits.
 */
export function zombieLeader(also = ""): string {
  return `${PY_MARK}import ctypes, os, platform, threading, time
SYS_EXIT = {"x86_64": 60, "aarch64": 93}[platform.machine()]
libc = ctypes.CDLL(None, use_errno=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        fd = os.open("beacon", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
        def beat():
            while True:
                os.write(fd, b"x"); time.sleep(0.02)
        threading.Thread(target=beat).start()
${also}
        open("survivor", "w").write(str(os.getpid()))
        libc.syscall(SYS_EXIT, 0)  # ends this thread only: the leader turns Z, the beacon goes on
    os._exit(0)
os.wait()
while not os.path.exists("survivor"): time.sleep(0.01)
time.sleep(0.3)
print("leader gone, beacon running")`;
}

/** {@linkcode zombieLeader} with nothing more. */
export const ZOMBIE_LEADER: string = zombieLeader();

/**
 * How many threads of `pid` are alive (neither zombie nor dead), read from `/proc/<pid>/task`: a process
 * whose leader exited with the raw `exit` syscall shows `Z` in `/proc/<pid>/stat` while its other threads
 * still run. 0 when the process is gone.
 */
export async function liveThreads(pid: number): Promise<number> {
  let live = 0;
  try {
    for await (const task of Deno.readDir(`/proc/${pid}/task`)) {
      const stat = await Deno.readTextFile(`/proc/${pid}/task/${task.name}/stat`).catch(() => "");
      const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      if (state !== "" && state !== "Z" && state !== "X") live++;
    }
  } catch {
    return 0;
  }
  return live;
}

/**
 * The pids of every process of `uid` with a live thread, zombie leaders included (unlike
 * {@linkcode processUids}, which reads the leader's state only).
 */
export async function processesOfUid(uid: number): Promise<number[]> {
  const found: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const status = await Deno.readTextFile(`/proc/${entry.name}/status`).catch(() => "");
    const ids = /^Uid:\s+(.*)$/m.exec(status)?.[1].trim().split(/\s+/).map(Number) ?? [];
    if (ids.includes(uid) && await liveThreads(Number(entry.name)) > 0) found.push(Number(entry.name));
  }
  return found;
}

/** SIGKILLs `pid` (its whole thread group) when it still exists: a test's own cleanup of a survivor. */
export function killIfAlive(pid: number): void {
  try {
    Deno.kill(pid, "SIGKILL");
  } catch {
    // Gone.
  }
}

/** Fails unless this machine has a working OS sandbox: the suite is about it. */
export async function assertIsolated(): Promise<void> {
  const isolation = await detectIsolation();
  assert.notEqual(isolation.kind, "none", `No OS sandbox: ${JSON.stringify(isolation)}`);
}
