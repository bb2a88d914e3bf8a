import assert from "node:assert/strict";
import {
  findSetsid,
  inNewSession,
  killProcessTree,
  parseStat,
  type ProcessInfo,
  readProcess,
  selectTree,
} from "../../lib/sandbox/process_tree.ts";
import { pidAlive } from "../../lib/host/process.ts";
import { resolvePython } from "../../lib/sandbox/python.ts";
import { processUids } from "../../lib/sandbox/sandbox_user.ts";
import { tempDir, waitForFile } from "./_temp_dir.ts";
import { requires } from "../_tier.ts";

const PYTHON = requires("python3");

function proc(pid: number, ppid: number, extra: Partial<ProcessInfo> = {}): ProcessInfo {
  return { pid, ppid, pgid: ppid, sid: 1, state: "S", ...extra };
}

Deno.test("parseStat() reads pid, state, ppid, group and session", async (t) => {
  await t.step("with a plain command name", () => {
    assert.deepEqual(parseStat("5708 (sleep) S 1 5655 3002 0 -1 4194304 76 0"), {
      pid: 5708,
      ppid: 1,
      pgid: 5655,
      sid: 3002,
      state: "S",
    });
  });
  await t.step("with spaces and parentheses in the command name", () => {
    assert.deepEqual(parseStat("42 (a (b) c) Z 7 8 9 0"), { pid: 42, ppid: 7, pgid: 8, sid: 9, state: "Z" });
  });
  await t.step("rejecting garbage", () => {
    assert.equal(parseStat("not a stat line"), undefined);
  });
});

Deno.test("selectTree() finds descendants, group members and their children", async (t) => {
  const listing = [
    proc(1, 0),
    proc(100, 1), // the root
    proc(101, 100),
    proc(102, 101), // grandchild
    proc(103, 101, { state: "Z" }), // zombie: skipped
    proc(200, 1, { pgid: 100, sid: 100 }), // orphaned session member
    proc(201, 200), // its child
    proc(300, 1), // unrelated
    proc(301, 300),
  ];
  await t.step("following both parent links and the session", () => {
    assert.deepEqual(selectTree(listing, 100, { tree: true, group: true }).sort(), [100, 101, 102, 200, 201]);
  });
  await t.step("following parent links only", () => {
    assert.deepEqual(selectTree(listing, 100, { tree: true, group: false }).sort(), [100, 101, 102]);
  });
  await t.step("following the session only, once the root is reaped", () => {
    const reaped = listing.filter((p) => p.pid !== 100 && p.pid !== 101 && p.pid !== 102);
    assert.deepEqual(selectTree(reaped, 100, { tree: false, group: true }).sort(), [200, 201]);
  });
});

Deno.test("killProcessTree() stops every process before killing any, and catches late forks", async () => {
  const listing = [proc(10, 1), proc(11, 10), proc(12, 11)];
  const signals: string[] = [];
  let lists = 0;
  const killed = await killProcessTree(10, {
    group: false,
    settleMs: 0,
    listProcesses: () => {
      lists++;
      // A fork that raced the first listing shows up in the second one.
      return Promise.resolve(lists === 1 ? listing : [...listing, proc(13, 12)]);
    },
    kill: (pid, signal) => {
      signals.push(`${signal} ${pid}`);
      if (pid === 12 && signal === "SIGKILL") throw new Deno.errors.NotFound("gone");
    },
  });
  assert.deepEqual(killed.sort(), [10, 11, 12, 13]);
  assert.equal(lists, 3);
  assert.deepEqual(signals, [
    "SIGSTOP 10",
    "SIGSTOP 11",
    "SIGSTOP 12",
    "SIGSTOP 13",
    "SIGKILL 10",
    "SIGKILL 11",
    "SIGKILL 12",
    "SIGKILL 13",
  ]);
});

Deno.test("killProcessTree() falls back to the group and the root without /proc", async () => {
  const signals: string[] = [];
  const killed = await killProcessTree(10, {
    listProcesses: () => Promise.resolve([]),
    kill: (pid, signal) => void signals.push(`${signal} ${pid}`),
  });
  assert.deepEqual(killed, []);
  assert.deepEqual(signals, ["SIGKILL -10", "SIGKILL 10"]);
});

/** Starts a python program (in a new session when `setsidPath` allows) that forks `sleep 100`. */
async function spawnWithGrandchild(dir: string, setsidPath: string | null) {
  const python = await resolvePython();
  if (python.kind !== "found") throw new Error(python.reason);
  const code = [
    "import os, subprocess, sys, time",
    "p = subprocess.Popen(['sleep', '100'])",
    "open('ids.tmp', 'w').write(f'{os.getpid()} {os.getsid(0)} {os.getpgid(0)} {p.pid}')",
    "os.rename('ids.tmp', 'ids')",
    "time.sleep(100)",
  ].join("\n");
  const session = await inNewSession(python.path, ["-c", code], setsidPath);
  const child = new Deno.Command(session.command, {
    args: session.args,
    cwd: dir,
    stdin: "null",
    stdout: "null",
  })
    .spawn();
  const [pid, sid, pgid, grandchild] = (await waitForFile(`${dir}/ids`)).split(" ").map(Number);
  return { child, session, pid, sid, pgid, grandchild };
}

Deno.test("inNewSession() starts the program as the leader of its own session", PYTHON, async () => {
  assert.notEqual(await findSetsid(), null, "util-linux setsid is installed on this machine");
  await using dir = await tempDir();
  const run = await spawnWithGrandchild(dir.path, await findSetsid());
  try {
    assert.equal(run.session.ownSession, true);
    assert.equal(run.pid, run.child.pid, "setsid execs in place");
    assert.equal(run.sid, run.pid);
    assert.equal(run.pgid, run.pid);
    assert.equal((await readProcess(run.grandchild))?.sid, run.pid);
  } finally {
    await killProcessTree(run.child.pid);
    await run.child.status;
  }
});

Deno.test("killProcessTree() kills a real child and its sleeping grandchild", PYTHON, async (t) => {
  for (const [name, setsid] of [["in a new session", undefined], ["without setsid", null]] as const) {
    await t.step(name, async () => {
      await using dir = await tempDir();
      const run = await spawnWithGrandchild(dir.path, setsid === null ? null : await findSetsid());
      assert.equal(await pidAlive(run.grandchild), true);
      const killed = await killProcessTree(run.child.pid);
      const status = await run.child.status;
      assert.equal(status.signal, "SIGKILL");
      assert.ok(killed.includes(run.grandchild));
      assert.equal(await pidAlive(run.child.pid), false);
      assert.equal(await pidAlive(run.grandchild), false);
    });
  }
});

Deno.test(
  "killProcessTree() sweeps an orphaned session member after its parent was reaped",
  PYTHON,
  async () => {
    await using dir = await tempDir();
    const run = await spawnWithGrandchild(dir.path, await findSetsid());
    Deno.kill(run.child.pid, "SIGKILL");
    await run.child.status;
    assert.equal(await pidAlive(run.grandchild), true, "the orphan survives its parent");
    await killProcessTree(run.child.pid, { tree: false });
    assert.equal(await pidAlive(run.grandchild), false);
  },
);

Deno.test(
  "readProcess() takes a process whose leader thread exited for alive while a thread runs",
  PYTHON,
  async () => {
    const code = "import ctypes,threading,time,platform\n" +
      "threading.Thread(target=lambda: time.sleep(300)).start()\n" +
      "time.sleep(0.1)\n" +
      "ctypes.CDLL(None).syscall({'x86_64': 60, 'aarch64': 93}[platform.machine()], 0)";
    const child = new Deno.Command("python3", { args: ["-c", code], stdout: "null", stderr: "null" }).spawn();
    try {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const stat = await Deno.readTextFile(`/proc/${child.pid}/stat`).catch(() => "");
        if (/^\d+ \(.*\) Z/.test(stat)) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const info = await readProcess(child.pid);
      assert.ok(
        info && info.state !== "Z",
        `the leader shows Z, the process is alive: ${JSON.stringify(info)}`,
      );
      assert.equal(await pidAlive(child.pid), true);
      assert.ok((await processUids()).has(child.pid), "the uid sweep sees it too");
    } finally {
      child.kill("SIGKILL");
      await child.status;
    }
    assert.equal(await pidAlive(child.pid), false);
  },
);
