import assert from "node:assert/strict";
import { agreementOf, cacheUse, summarize, summarizeArm } from "../../lib/bench/summary.ts";
import { attemptRecord, benchRecord, call } from "./_fixtures.ts";

Deno.test("agreementOf() compares the Sheriff with the ground truth on each attempt's program", async (t) => {
  await t.step("counts agreement, false PASS and false FAIL; an unparsable reply counts as FAIL", () => {
    const attempts = [
      attemptRecord({ sheriff: "PASS", truth: true }),
      attemptRecord({ sheriff: "FAIL", truth: false }),
      attemptRecord({ sheriff: "PASS", truth: false }),
      attemptRecord({ sheriff: "FAIL", truth: true }),
      attemptRecord({ sheriff: "unparsable", truth: true }),
    ];
    assert.deepEqual(agreementOf(attempts), { judged: 5, agreed: 2, falsePass: 1, falseFail: 2 });
  });
  await t.step("leaves out attempts without a program or without a Sheriff", () => {
    const attempts = [
      attemptRecord({ sheriff: "skipped", truth: true }),
      attemptRecord({ sheriff: "skipped", truth: null, draft: "no_code" }),
    ];
    assert.deepEqual(agreementOf(attempts), { judged: 0, agreed: 0, falsePass: 0, falseFail: 0 });
  });
});

Deno.test("cacheUse() sums cached and prompt tokens", () => {
  const use = cacheUse([
    call({ promptTokens: 300, cachedTokens: 200 }),
    call({ promptTokens: 100, cachedTokens: 0 }),
  ]);
  assert.deepEqual(use, { cached: 200, prompt: 400, ratio: 0.5 });
  assert.ok(Number.isNaN(cacheUse([]).ratio));
});

Deno.test("summarizeArm()", async (t) => {
  const retry = attemptRecord({
    n: 2,
    overheadMs: 90,
    calls: [
      call({ attempt: 2, promptTokens: 600, cachedTokens: 400 }),
      call({ attempt: 2, persona: "sheriff", promptTokens: 400, cachedTokens: 200 }),
    ],
  });
  const records = [
    benchRecord({ taskId: "1", wallMs: 10_000 }),
    benchRecord({
      taskId: "2",
      passed: false,
      claimed: true,
      wallMs: 30_000,
      attemptDetails: [attemptRecord({ truth: false, sheriff: "FAIL", overheadMs: 20 }), retry],
    }),
    benchRecord({ taskId: "3", passed: true, claimed: false, status: "failed", wallMs: 20_000 }),
  ];
  const s = summarizeArm("loop", records);
  await t.step("counts passes by the ground truth, attempts and the median wall time", () => {
    assert.equal(s.tasks, 3);
    assert.equal(s.passed, 2);
    assert.equal(s.passRate, 2 / 3);
    assert.equal(s.meanAttempts, 4 / 3);
    assert.equal(s.medianWallMs, 20_000);
  });
  await t.step("counts false claims and missed passes of the final verdict", () => {
    assert.equal(s.falseClaims, 1);
    assert.equal(s.missedPasses, 1);
  });
  await t.step("takes overhead per attempt, and caching on retries apart from first turns", () => {
    assert.equal(s.overheadMedianMs, 40);
    assert.equal(s.overheadP90Ms, 90);
    assert.deepEqual(s.retryCache, { cached: 600, prompt: 1000, ratio: 0.6 });
    assert.deepEqual(
      s.coderRetryCache,
      { cached: 400, prompt: 600, ratio: 400 / 600 },
      "the Coder's turn alone",
    );
    assert.equal(s.firstCache.ratio, 0);
  });
  await t.step("gives the decode speed from server timings", () => {
    assert.equal(s.decodeTokensPerSec, 25);
  });
});

Deno.test("summarize() keeps the arms' order and drops arms without records", () => {
  const records = [benchRecord({ arm: "loop+checks" }), benchRecord({ arm: "single" })];
  assert.deepEqual(summarize(["single", "loop", "loop+checks"], records).map((s) => s.arm), [
    "single",
    "loop+checks",
  ]);
});

Deno.test("summarizeArm() measures repairs, Sheriff false PASSes by checks, imitation and errors", async (t) => {
  const failThenPass = [
    attemptRecord({ truth: false, sheriff: "FAIL" }),
    attemptRecord({ n: 2, truth: true }),
  ];
  const records = [
    // Repaired: attempt 1 wrong, the final program right.
    benchRecord({ taskId: "1", attemptDetails: failThenPass, hasChecks: true }),
    // Not repaired, and the Sheriff passed a wrong program: a false PASS on a task with checks.
    benchRecord({
      taskId: "2",
      passed: false,
      hasChecks: true,
      attemptDetails: [attemptRecord({ truth: false, sheriff: "PASS", imitation: "imports doctest" })],
    }),
    // Right at once, no checks; the Sheriff agreed.
    benchRecord({ taskId: "3", hasChecks: false }),
    // The server failed: no attempt.
    benchRecord({
      taskId: "4",
      passed: false,
      status: "error",
      stopReason: "model_error",
      attemptDetails: [],
    }),
  ];
  const s = summarizeArm("loop", records);
  await t.step("repair: of the tasks whose first attempt failed, those that pass in the end", () => {
    assert.deepEqual(s.repair, { count: 1, of: 2, rate: 0.5 });
  });
  await t.step("false PASS per task, split by whether the loop had checks", () => {
    assert.deepEqual(s.falsePass.withChecks, { count: 1, of: 2, rate: 0.5 });
    assert.deepEqual(s.falsePass.withoutChecks, { count: 0, of: 1, rate: 0 });
  });
  await t.step("imitation: of the programs written", () => {
    assert.deepEqual(s.imitation, { count: 1, of: 4, rate: 0.25 });
  });
  await t.step("errors, and the median of attempts", () => {
    assert.deepEqual(s.errors, { count: 1, of: 4, rate: 0.25 });
    assert.equal(s.medianAttempts, 1);
  });
  await t.step("no repair rate for an arm that never retries", () => {
    assert.equal(summarizeArm("single", records).repair.of, 0);
  });
});
