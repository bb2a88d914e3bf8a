import assert from "node:assert/strict";
import { buildRecord, split } from "../../lib/bench/record.ts";
import { runTask } from "../../lib/orchestrator/run_task.ts";
import { coderReply, fakeExecutor, scriptedModel, sheriffReply } from "../_fakes.ts";
import { pyTask, tempDir, testLimits } from "../_helpers.ts";
import { call } from "./_fixtures.ts";

Deno.test("split() takes model calls and program runs from the wall time", async (t) => {
  await t.step("keeps prefill and decode, and the model time the server's timings miss as wait", () => {
    const calls = [
      call({ prefillMs: 1000, decodeMs: 3000, ms: 4100 }),
      call({ prefillMs: 500, decodeMs: 500, ms: 1050 }),
    ];
    assert.deepEqual(split(5500, calls, 200), {
      wallMs: 5500,
      prefillMs: 1500,
      decodeMs: 3500,
      modelMs: 5150,
      waitMs: 150,
      execMs: 200,
      overheadMs: 150,
    });
  });
  await t.step("counts no wait for calls without timings", () => {
    const calls = [call({ timed: false, prefillMs: 0, decodeMs: 0, ms: 900 })];
    assert.deepEqual([split(1000, calls, 50).overheadMs, split(1000, calls, 50).waitMs], [50, 0]);
  });
  await t.step("never goes below zero", () => {
    assert.equal(split(10, [call()], 0).overheadMs, 0);
  });
});

Deno.test("buildRecord() judges the final program and keeps each attempt's verdicts", async () => {
  await using out = await tempDir();
  const model = scriptedModel([
    coderReply("print(1)"),
    sheriffReply("PASS"),
    coderReply("print(2)"),
    sheriffReply("PASS"),
  ]);
  const task = pyTask({ checks: { stdout: "2" } });
  const result = await runTask(task, {
    model,
    executor: fakeExecutor([{ stdout: "1\n" }, { stdout: "2\n" }]),
    limits: testLimits(),
    outDir: out.path,
  });
  assert.equal(result.attempts.length, 2);
  const record = buildRecord({
    suite: "mbpp",
    taskId: "7",
    arm: "loop+checks",
    model: "m",
    task,
    result,
    calls: [call({ attempt: 1 }), call({ attempt: 1, persona: "sheriff" }), call({ attempt: 2 })],
    times: (n) => ({ wallMs: n * 10_000, execMs: 100 }),
    truths: new Map([[1, { passed: true, detail: "ok" }], [2, { passed: false, detail: "exit 1" }]]),
    wallMs: 31_000,
  });
  assert.equal(record.passed, false, "the final program is attempt 2's");
  assert.equal(record.claimed, true);
  assert.equal(record.hasChecks, true);
  assert.equal(record.derivedExamples, 0);
  assert.deepEqual(record.attemptDetails.map((a) => a.imitation), [null, null]);
  assert.equal(record.truthDetail, "exit 1");
  assert.equal(record.attempts, 2);
  assert.deepEqual(record.attemptDetails.map((a) => [a.n, a.truth, a.sheriff, a.loopPassed]), [
    [1, true, "PASS", false],
    [2, false, "PASS", true],
  ]);
  assert.equal(record.attemptDetails[0].calls.length, 2);
  const [first, second] = record.attemptDetails.map((a) => a.programSha256);
  assert.match(first ?? "", /^[0-9a-f]{16}$/, "each program's hash, to compare runs' programs");
  assert.notEqual(first, second, "print(1) and print(2) differ");
  assert.equal(record.attemptDetails[1].wallMs, 20_000);
  assert.equal(record.execMs, 200);
  assert.equal(record.overheadMs, 31_000 - 3 * 5050 - 200);
  assert.equal(record.waitMs, 3 * 50);
});
