import assert from "node:assert/strict";
import {
  killUid,
  pickSandboxUid,
  processUids,
  SANDBOX_UID_BASE,
  SANDBOX_UID_COUNT,
} from "../../lib/sandbox/sandbox_user.ts";

const UID = SANDBOX_UID_BASE + 42;

Deno.test("pickSandboxUid() picks an unused uid from the sandbox range", async () => {
  const busy = new Map([[1, [0, 0, 0, 0]]]);
  for (let i = 0; i < 20; i++) {
    const uid = await pickSandboxUid(() => Promise.resolve(busy));
    assert.ok(uid >= SANDBOX_UID_BASE && uid < SANDBOX_UID_BASE + SANDBOX_UID_COUNT);
    busy.set(100 + i, [uid, uid, uid, uid]);
  }
  assert.equal(new Set([...busy.values()].map((ids) => ids[0])).size, 21, "never one in use");
});

Deno.test("killUid() stops every process of the uid before killing any, catching late forks", async () => {
  const table = new Map<number, number[]>([[10, [UID, UID, UID, UID]], [11, [0, 0, 0, 0]]]);
  const sent: string[] = [];
  const pids = await killUid(UID, {
    settleMs: 50,
    listUids: () => Promise.resolve(new Map(table)),
    kill: (pid, signal) => {
      sent.push(`${signal} ${pid}`);
      if (pid === 10 && signal === "SIGSTOP") table.set(12, [0, UID, 0, 0]); // forked and setuid'd its euid
      if (signal === "SIGKILL") table.delete(pid);
    },
  });
  assert.deepEqual(pids.sort(), [10, 12]);
  assert.deepEqual(sent, ["SIGSTOP 10", "SIGSTOP 12", "SIGKILL 10", "SIGKILL 12"]);
});

Deno.test("killUid() refuses a uid outside the sandbox range", async () => {
  await assert.rejects(killUid(0), RangeError);
  await assert.rejects(killUid(1000), RangeError);
});

Deno.test("processUids() reads our own uid line", async () => {
  const uids = await processUids();
  assert.deepEqual(uids.get(Deno.pid)?.slice(0, 2), [Deno.uid(), Deno.uid()]);
});
