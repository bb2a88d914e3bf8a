import assert from "node:assert/strict";
import { runBench } from "../../lib/bench/run_bench.ts";
import { ARMS } from "../../lib/bench/arms.ts";
import { mbppBenchTask } from "../../lib/bench/mbpp_task.ts";
import type { BenchRecord } from "../../lib/bench/record.ts";
import type { ChatRequest } from "../../lib/types.ts";
import { tempDir } from "../_helpers.ts";
import { requires } from "../_tier.ts";
import {
  coderReply,
  personaModel,
  REMOVE_OCC,
  REMOVE_OCC_BROKEN,
  REMOVE_OCC_GOOD,
  sheriffReply,
} from "./_fixtures.ts";

/** The Coder hard-codes the example's answer first and writes the real function when told it failed. */
const coder = (request: ChatRequest) =>
  coderReply(request.messages.length > 2 ? REMOVE_OCC_GOOD : REMOVE_OCC_BROKEN);
/** The Sheriff spots the hard-coded answer and passes anything else. */
const sheriff = (request: ChatRequest) =>
  request.messages[1].content.includes('if s == "hello"')
    ? sheriffReply("FAIL", "It only handles one input.", "Implement the function.")
    : sheriffReply("PASS");

/** These tests run the programs and their hidden asserts for real. */
const PYTHON_SANDBOX = requires("python3", "sandbox");

const TASKS = [mbppBenchTask(REMOVE_OCC), mbppBenchTask({ ...REMOVE_OCC, taskId: 12 })];

async function bench(concurrency: number, signal?: AbortSignal, model = personaModel(coder, sheriff)) {
  await using dir = await tempDir();
  const seen: BenchRecord[] = [];
  const outcome = await runBench({
    tasks: TASKS,
    arms: ARMS,
    model,
    modelName: "fake",
    runsDir: dir.path,
    concurrency,
    signal,
    onRecord: (record) => void seen.push(record),
  });
  return { outcome, seen, model };
}

Deno.test(
  "runBench() runs every task in every arm and judges each attempt against the hidden asserts",
  PYTHON_SANDBOX,
  async (t) => {
    const { outcome, seen } = await bench(1);
    const byArm = (arm: string) => outcome.records.find((r) => r.taskId === "11" && r.arm === arm)!;
    await t.step("keeps task order, then arm order, and reports each record as it finishes", () => {
      assert.deepEqual(outcome.records.map((r) => `${r.taskId} ${r.arm}`), [
        "11 raw",
        "11 single",
        "11 loop",
        "11 loop+derived",
        "11 loop+checks",
        "12 raw",
        "12 single",
        "12 loop",
        "12 loop+derived",
        "12 loop+checks",
      ]);
      assert.equal(seen.length, 10);
      assert.equal(outcome.interrupted, false);
    });
    await t.step("raw: one plain message, the reply's code judged as it is", () => {
      const r = byArm("raw");
      assert.deepEqual([r.attempts, r.passed, r.hasChecks, r.attemptDetails[0].sheriff], [
        1,
        false,
        false,
        "skipped",
      ]);
      assert.equal(r.attemptDetails[0].calls.length, 1);
      assert.match(r.truthDetail, /AssertionError/);
    });
    await t.step(
      "loop+derived: the example in the text becomes a check; the Sheriff catches the hard-coding",
      () => {
        const r = byArm("loop+derived");
        assert.deepEqual([r.hasChecks, r.derivedExamples, r.attempts, r.passed], [true, 1, 2, true]);
        assert.equal(r.attemptDetails[0].loopPassed, false);
      },
    );
    await t.step("single: the loop's first attempt, failed by the Sheriff and the hidden asserts", () => {
      const r = byArm("single");
      assert.deepEqual([r.attempts, r.claimed, r.passed, r.attemptDetails[0].sheriff, r.derivedFrom], [
        1,
        false,
        false,
        "FAIL",
        "loop",
      ]);
      assert.deepEqual(r.attemptDetails, [byArm("loop").attemptDetails[0]]);
      assert.match(r.truthDetail, /AssertionError/);
    });
    await t.step("loop: the Sheriff's FAIL leads to a repair that passes the hidden asserts", () => {
      const r = byArm("loop");
      assert.deepEqual([r.attempts, r.claimed, r.passed], [2, true, true]);
      assert.deepEqual(r.attemptDetails.map((a) => [a.truth, a.sheriff]), [[false, "FAIL"], [true, "PASS"]]);
    });
    await t.step(
      "loop+checks: the visible check passes the hard-coded program; the Sheriff still catches it",
      () => {
        const r = byArm("loop+checks");
        assert.deepEqual([r.attempts, r.passed], [2, true]);
      },
    );
    await t.step("splits time into model, programs and overhead, and keeps usage per call", () => {
      const r = byArm("loop");
      assert.equal(r.attemptDetails[0].calls.length, 2);
      assert.equal(r.prefillMs, 40);
      assert.equal(r.decodeMs, 60);
      assert.ok(r.execMs > 0, "program runs were timed");
      assert.ok(r.overheadMs >= 0 && r.wallMs >= r.execMs);
      assert.deepEqual(
        r.tokens,
        { prompt: 800, completion: 200, cached: 150 },
        "only the Coder retry had a cached prefix",
      );
    });
    await t.step("keeps the first Coder prompt of each task for the speed probe", () => {
      assert.equal(outcome.coderPrompts.length, 2);
      assert.ok(outcome.coderPrompts[0][1].content.includes("def remove_Occ(s, ch)"));
    });
  },
);

Deno.test(
  "runBench() shows the first assert to the loop+derived and loop+checks arms only, never the others",
  PYTHON_SANDBOX,
  async () => {
    const prompts: Record<string, string[]> = {};
    const remember = (kind: string) => (request: ChatRequest) => {
      const text = request.messages.map((m) => m.content).join("\n");
      (prompts[text.includes("Checks run after") ? "checks" : kind] ??= []).push(text);
      return coderReply(REMOVE_OCC_GOOD);
    };
    const model = personaModel(remember("plain"), () => sheriffReply("PASS"), remember("raw"));
    await bench(1, undefined, model);
    const call = 'remove_Occ("hello","l")';
    assert.ok(
      [...prompts.plain, ...prompts.raw].every((text) => !text.includes(call) && !text.includes("abcda")),
    );
    assert.ok(prompts.checks.every((text) => text.includes(`${call} → "heo"`) && !text.includes("abcda")));
    assert.equal(prompts.raw.length, 2);
    assert.ok(prompts.raw.every((text) => !text.includes("Coder") && text.includes("def remove_Occ(s, ch)")));
  },
);

Deno.test(
  "runBench() with concurrency 2 gives the same records in the same order",
  PYTHON_SANDBOX,
  async () => {
    const { outcome } = await bench(2);
    const summary = (records: BenchRecord[]) => records.map((r) => [r.taskId, r.arm, r.attempts, r.passed]);
    assert.deepEqual(summary(outcome.records), [
      ["11", "raw", 1, false],
      ["11", "single", 1, false],
      ["11", "loop", 2, true],
      ["11", "loop+derived", 2, true],
      ["11", "loop+checks", 2, true],
      ["12", "raw", 1, false],
      ["12", "single", 1, false],
      ["12", "loop", 2, true],
      ["12", "loop+derived", 2, true],
      ["12", "loop+checks", 2, true],
    ]);
  },
);

Deno.test("runBench() stops when aborted and keeps what finished", PYTHON_SANDBOX, async () => {
  const controller = new AbortController();
  const model = personaModel(coder, (request) => {
    controller.abort();
    return sheriff(request);
  });
  const { outcome } = await bench(1, controller.signal, model);
  assert.equal(outcome.interrupted, true);
  // The loop was interrupted on its first Sheriff turn, so no single could be scored from it either.
  assert.deepEqual(outcome.records.map((r) => r.arm), ["raw"]);
});

Deno.test("runBench() rejects a concurrency below 1", async () => {
  await assert.rejects(bench(0), RangeError);
});
