import assert from "node:assert/strict";
import { commandLine, spawnServer, terminateGroup, waitForExit } from "../../lib/server/process_group.ts";
import { pidAlive } from "../../lib/host/process.ts";
import { deadPid, processesMatching } from "./_helpers.ts";

function procStat(pid: number): string[] {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

Deno.test("spawnServer() runs the program as its own group leader with output in the log", async () => {
  const dir = await Deno.makeTempDir();
  const logPath = `${dir}/server.log`;
  const process = spawnServer({
    argv: ["sh", "-c", 'echo "to stdout $GREETING"; echo "to stderr" >&2; exec sleep 300'],
    env: { GREETING: "hello" },
    logPath,
  });
  try {
    assert.equal(process.pgid, process.pid);
    while (!(await Deno.readTextFile(logPath).catch(() => "")).includes("to stderr")) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const [, , pgrp, session] = procStat(process.pid);
    assert.equal(Number(pgrp), process.pid);
    assert.equal(Number(session), process.pid);
    assert.notEqual(Number(pgrp), Number(procStat(Deno.pid)[2]));
    assert.match(await Deno.readTextFile(logPath), /to stdout hello\nto stderr\n/);
    const stopped = await terminateGroup(process, { exited: process.exited });
    assert.equal(stopped.signal, "SIGTERM");
    assert.deepEqual(await process.exited, { code: 143, signal: "SIGTERM" });
    assert.equal(pidAlive(process.pid), false);
  } finally {
    await terminateGroup(process, { exited: process.exited, graceMs: 100 });
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("terminateGroup() escalates to SIGKILL for a group that ignores SIGTERM, grandchildren included", async () => {
  const dir = await Deno.makeTempDir();
  const marker = `factory-stubborn-${crypto.randomUUID().slice(0, 8)}`;
  try {
    const script =
      `trap '' TERM; (trap '' TERM; exec -a ${marker}-child sleep 300) & exec -a ${marker} sleep 300`;
    const process = spawnServer({ argv: ["bash", "-c", script], logPath: `${dir}/log` });
    while (processesMatching(marker).length < 2) await new Promise((r) => setTimeout(r, 10));
    const stopped = await terminateGroup(process, { exited: process.exited, graceMs: 300 });
    assert.equal(stopped.signal, "SIGKILL");
    assert.ok(stopped.ms >= 300, `stopped after ${stopped.ms} ms`);
    assert.deepEqual(await process.exited, { code: 137, signal: "SIGKILL" });
    // The grandchild got the same SIGKILL; under load the kernel may take a moment to finish it.
    for (let i = 0; i < 200 && processesMatching(marker).length > 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.deepEqual(processesMatching(marker), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("terminateGroup() stops a process that is not our child by polling, and knows a dead one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const process = spawnServer({ argv: ["sleep", "300"], logPath: `${dir}/log` });
    const stopped = await terminateGroup({ pid: process.pid, pgid: process.pgid });
    assert.equal(stopped.signal, "SIGTERM");
    await process.exited;
    assert.deepEqual(await terminateGroup({ pid: process.pid, pgid: process.pgid }), {
      signal: "none",
      ms: 0,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pidAlive(), waitForExit() and commandLine() on live and dead pids", async () => {
  assert.equal(pidAlive(Deno.pid), true);
  assert.equal(pidAlive(await deadPid()), false);
  assert.equal(pidAlive(0), false);
  assert.equal(await waitForExit(await deadPid(), { timeoutMs: 10 }), true);
  assert.equal(await waitForExit(Deno.pid, { timeoutMs: 30 }), false);
  assert.ok((await commandLine(Deno.pid))?.includes("test"), "this test runner's command line");
  assert.equal(await commandLine(await deadPid()), undefined);
});
