/**
 * Class 1 of issue 11: a survivor whose thread-group leader has exited. A double-forked, `setsid`
 * grandchild ends its main thread with the raw `exit` syscall while another thread keeps running, so
 * `/proc/<pid>/stat` says `Z`; it must still be killed at the end of the run, and must not keep writing
 * into the work dir once the run is over.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  assertNoSurvivor,
  expectKind,
  killIfAlive,
  liveThreads,
  output,
  runHostile,
  ZOMBIE_LEADER,
} from "./_hostile.ts";

Deno.test("execute() kills a survivor whose leader exited with the raw exit syscall", async (t) => {
  for (const timeoutMs of [20_000, 1500]) {
    await t.step(timeoutMs === 1500 ? "the program then times out" : "the program then exits 0", async () => {
      const code = timeoutMs === 1500 ? `${ZOMBIE_LEADER}\ntime.sleep(300)` : ZOMBIE_LEADER;
      await using run = await runHostile("python", code, { timeoutMs });
      const pid = Number(await run.read("survivor"));
      try {
        expectKind(run.result, timeoutMs === 1500 ? "timed_out" : "exited");
        assert.match(output(run.result), /beacon running/);
        assert.equal(await liveThreads(pid), 0, `the survivor ${pid} still has live threads`);
        const before = (await Deno.stat(join(run.dir, "beacon"))).size;
        await new Promise((resolve) => setTimeout(resolve, 300));
        const after = (await Deno.stat(join(run.dir, "beacon"))).size;
        assert.equal(after, before, "nothing writes into the work dir after the run");
        await assertNoSurvivor(await run.read("marker.json"));
      } finally {
        killIfAlive(pid);
      }
    });
  }
});
