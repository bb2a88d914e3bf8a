import assert from "node:assert/strict";
import { singleFromLoop } from "../../lib/bench/single_from_loop.ts";
import { summarizeArm } from "../../lib/bench/summary.ts";
import { attemptRecord, benchRecord, call } from "./_fixtures.ts";

/** A loop run that failed attempt 1 (Sheriff FAIL on a wrong program) and passed attempt 2. */
function repairedLoop() {
  const first = attemptRecord({
    n: 1,
    truth: false,
    truthDetail: "AssertionError",
    sheriff: "FAIL",
    loopPassed: false,
    programSha256: "aaaa",
    wallMs: 3000,
    prefillMs: 700,
    decodeMs: 1800,
    modelMs: 2600,
    waitMs: 100,
    execMs: 300,
    overheadMs: 100,
    calls: [
      call({ attempt: 1, persona: "coder", promptTokens: 300, completionTokens: 120, cachedTokens: 0 }),
      call({ attempt: 1, persona: "sheriff", promptTokens: 500, completionTokens: 40, cachedTokens: 10 }),
    ],
  });
  const second = attemptRecord({
    n: 2,
    programSha256: "bbbb",
    calls: [call({ attempt: 2, cachedTokens: 150 }), call({ attempt: 2, persona: "sheriff" })],
  });
  return benchRecord({
    attemptDetails: [first, second],
    hasChecks: true,
    derivedExamples: 1,
    speculative: "ngram",
    runDir: "/runs/loop/run-1",
    tokens: { prompt: 1200, completion: 360, cached: 160 },
  });
}

Deno.test("singleFromLoop() reads a one-attempt run off the loop's first attempt", async (t) => {
  await t.step("a repaired loop gives a failed single with attempt 1 only", () => {
    const loop = repairedLoop();
    const single = singleFromLoop(loop);
    assert.deepEqual(
      [single.arm, single.derivedFrom, single.attempts, single.passed, single.claimed],
      ["single", "loop", 1, false, false],
    );
    assert.deepEqual([single.status, single.stopReason], ["failed", "max_attempts"]);
    assert.deepEqual(single.attemptDetails, [loop.attemptDetails[0]]);
    assert.equal(single.truthDetail, "AssertionError");
    assert.deepEqual(single.tokens, { prompt: 800, completion: 160, cached: 10 });
  });
  await t.step("takes the time split of attempt 1", () => {
    const single = singleFromLoop(repairedLoop());
    const { wallMs, prefillMs, decodeMs, modelMs, waitMs, execMs, overheadMs } = single;
    assert.deepEqual(
      { wallMs, prefillMs, decodeMs, modelMs, waitMs, execMs, overheadMs },
      {
        wallMs: 3000,
        prefillMs: 700,
        decodeMs: 1800,
        modelMs: 2600,
        waitMs: 100,
        execMs: 300,
        overheadMs: 100,
      },
    );
  });
  await t.step("copies the task's facts and leaves the loop's run directory to the loop record", () => {
    const loop = repairedLoop();
    const single = singleFromLoop(loop);
    assert.deepEqual(
      [
        single.suite,
        single.taskId,
        single.model,
        single.speculative,
        single.hasChecks,
        single.derivedExamples,
      ],
      [loop.suite, loop.taskId, loop.model, "ngram", true, 1],
    );
    assert.equal("runDir" in single, false);
    assert.equal(loop.arm, "loop", "the loop record is left as it was");
  });
  await t.step("a first attempt that passed gives a passed single", () => {
    const loop = benchRecord({ attemptDetails: [attemptRecord({ programSha256: "cccc" })] });
    const single = singleFromLoop(loop);
    assert.deepEqual([single.passed, single.claimed, single.status, single.stopReason], [
      true,
      true,
      "passed",
      "passed",
    ]);
    assert.equal(single.attemptDetails[0].programSha256, "cccc");
  });
  await t.step("passed follows the ground truth, claimed the loop's decision", () => {
    const first = attemptRecord({ truth: true, sheriff: "FAIL", loopPassed: false });
    const single = singleFromLoop(benchRecord({ attemptDetails: [first, attemptRecord({ n: 2 })] }));
    assert.deepEqual([single.passed, single.claimed, single.status], [true, false, "failed"]);
  });
  await t.step("a loop that stopped after attempt 1 anyway ends the single the same way", () => {
    const first = attemptRecord({
      draft: "no_code",
      truth: null,
      truthDetail: "no program",
      loopPassed: false,
    });
    const loop = benchRecord({
      attemptDetails: [first],
      passed: false,
      claimed: false,
      status: "error",
      stopReason: "model_error",
    });
    const single = singleFromLoop(loop);
    assert.deepEqual([single.status, single.stopReason, single.passed], ["error", "model_error", false]);
    assert.equal(single.truthDetail, "no program was written");
  });
  await t.step("a loop without attempts gives a single without attempts", () => {
    const loop = benchRecord({
      attemptDetails: [],
      passed: false,
      status: "error",
      stopReason: "model_error",
    });
    const single = singleFromLoop(loop);
    assert.deepEqual([single.arm, single.attempts, single.status, single.derivedFrom], [
      "single",
      0,
      "error",
      "loop",
    ]);
  });
});

Deno.test("summarizeArm() on derived single records: no repair, no retries, the Sheriff's attempt 1", () => {
  const singles = [
    singleFromLoop(repairedLoop()),
    singleFromLoop(benchRecord({ taskId: "12", attemptDetails: [attemptRecord()] })),
  ];
  const s = summarizeArm("single", singles);
  assert.deepEqual([s.tasks, s.passed, s.medianAttempts], [2, 1, 1]);
  assert.equal(s.repair.of, 0, "a one-shot arm has no repair");
  assert.equal(s.retryCache.prompt, 0, "no calls after attempt 1");
  assert.deepEqual(s.agreement, { judged: 2, agreed: 2, falsePass: 0, falseFail: 0 });
  assert.equal(s.medianWallMs, (3000 + 5150) / 2);
});
