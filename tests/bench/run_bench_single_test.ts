/**
 * runBench() scores the `single` arm from the `loop` arm's first attempt when both run, against the
 * scripted model, the fake executor and a fake judge (no sandbox, no Python).
 */
import assert from "node:assert/strict";
import { runBench } from "../../lib/bench/run_bench.ts";
import { type ArmName, ARMS } from "../../lib/bench/arms.ts";
import type { Judge } from "../../lib/bench/ground_truth.ts";
import { mbppBenchTask } from "../../lib/bench/mbpp_task.ts";
import type { BenchRecord } from "../../lib/bench/record.ts";
import type { ChatRequest } from "../../lib/types.ts";
import { fakeExecutor } from "../_fakes.ts";
import { tempDir } from "../_helpers.ts";
import {
  type Answer,
  coderReply,
  personaModel,
  REMOVE_OCC,
  REMOVE_OCC_BROKEN,
  REMOVE_OCC_GOOD,
  sheriffReply,
} from "./_fixtures.ts";

const TASKS = [mbppBenchTask(REMOVE_OCC), mbppBenchTask({ ...REMOVE_OCC, taskId: 12 })];

/** The ground truth passes the real function (REMOVE_OCC_GOOD) only. */
const judge: Judge = (_truth, program) =>
  Promise.resolve(
    program.code.includes("s.rfind(ch)")
      ? { passed: true, detail: "all 3 asserts passed" }
      : { passed: false, detail: "AssertionError" },
  );

/** The Coder hard-codes the example's answer first and writes the real function when told it failed. */
const repairingCoder: Answer = (request: ChatRequest) =>
  coderReply(request.messages.length > 2 ? REMOVE_OCC_GOOD : REMOVE_OCC_BROKEN);
/** The Sheriff spots the hard-coded answer and passes anything else. */
const sheriff: Answer = (request: ChatRequest) =>
  request.messages[1].content.includes('if s == "hello"')
    ? sheriffReply("FAIL", "It only handles one input.", "Implement the function.")
    : sheriffReply("PASS");

async function bench(names: ArmName[], coder: Answer, concurrency = 1) {
  await using dir = await tempDir();
  const model = personaModel(coder, sheriff);
  const executor = fakeExecutor(() => ({ stdout: "heo\n" }));
  const seen: BenchRecord[] = [];
  const outcome = await runBench({
    tasks: TASKS,
    arms: ARMS.filter((arm) => names.includes(arm.name)),
    model,
    modelName: "fake",
    runsDir: dir.path,
    concurrency,
    executor,
    judge,
    onRecord: (record) => void seen.push(record),
  });
  const record = (taskId: string, arm: ArmName) =>
    outcome.records.find((r) => r.taskId === taskId && r.arm === arm)!;
  return { outcome, seen, model, executor, record };
}

Deno.test("runBench() with single and loop scores single from the loop's first attempt", async (t) => {
  const { outcome, seen, model, executor, record } = await bench(["single", "loop"], repairingCoder);
  await t.step("a loop that fails attempt 1 and passes attempt 2 gives a failed one-attempt single", () => {
    const single = record("11", "single");
    const loop = record("11", "loop");
    assert.deepEqual([loop.attempts, loop.passed], [2, true]);
    assert.deepEqual(
      [single.attempts, single.passed, single.claimed, single.derivedFrom, single.stopReason, single.status],
      [1, false, false, "loop", "max_attempts", "failed"],
    );
    assert.deepEqual(single.attemptDetails, [loop.attemptDetails[0]]);
    assert.equal(single.attemptDetails[0].sheriff, "FAIL", "the loop's attempt-1 verdict");
  });
  await t.step("the model and the executor served the loop runs only", () => {
    // Per task: Coder, Sheriff, Coder, Sheriff; a separate single run would add a Coder turn and a program.
    assert.equal(model.requests.length, 2 * 4);
    assert.equal(executor.programs.length, 2 * 2);
  });
  await t.step("keeps task order, then arm order; onRecord gets single right after its loop", () => {
    assert.deepEqual(outcome.records.map((r) => `${r.taskId} ${r.arm}`), [
      "11 single",
      "11 loop",
      "12 single",
      "12 loop",
    ]);
    assert.deepEqual(seen.map((r) => `${r.taskId} ${r.arm}`), [
      "11 loop",
      "11 single",
      "12 loop",
      "12 single",
    ]);
    assert.equal(outcome.interrupted, false);
  });
});

Deno.test("runBench() scores single from the loop at concurrency 2 in the same order", async () => {
  const { outcome } = await bench(["raw", "single", "loop"], repairingCoder, 2);
  assert.deepEqual(outcome.records.map((r) => [r.taskId, r.arm, r.attempts, r.derivedFrom ?? "-"]), [
    ["11", "raw", 1, "-"],
    ["11", "single", 1, "loop"],
    ["11", "loop", 2, "-"],
    ["12", "raw", 1, "-"],
    ["12", "single", 1, "loop"],
    ["12", "loop", 2, "-"],
  ]);
});

Deno.test("runBench() gives a passed single when the loop passes on attempt 1, with the same program", async () => {
  const { model, record } = await bench(["single", "loop"], () => coderReply(REMOVE_OCC_GOOD));
  const single = record("11", "single");
  const loop = record("11", "loop");
  assert.deepEqual([single.passed, single.claimed, single.status, single.attempts], [
    true,
    true,
    "passed",
    1,
  ]);
  assert.ok(single.attemptDetails[0].programSha256);
  assert.equal(single.attemptDetails[0].programSha256, loop.attemptDetails[0].programSha256);
  assert.deepEqual(single.tokens, loop.tokens, "the loop made one attempt, so its tokens are attempt 1's");
  assert.equal(model.requests.length, 2 * 2);
});

Deno.test("runBench() with single alone runs it on its own: one attempt, no Sheriff", async () => {
  const { outcome, model, record } = await bench(["single"], repairingCoder);
  const single = record("11", "single");
  assert.equal(single.derivedFrom, undefined);
  assert.deepEqual([single.attempts, single.claimed, single.passed], [1, true, false]);
  assert.equal(single.attemptDetails[0].sheriff, "skipped");
  assert.equal(model.requests.length, 2, "one Coder turn per task");
  assert.deepEqual(outcome.records.map((r) => r.arm), ["single", "single"]);
});
