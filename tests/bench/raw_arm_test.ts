import assert from "node:assert/strict";
import { firstCodeBlock, rawMessages, runRaw } from "../../lib/bench/raw_arm.ts";
import { mbppBenchTask } from "../../lib/bench/mbpp_task.ts";
import { benchLimits } from "../../lib/bench/arms.ts";
import type { Judge } from "../../lib/bench/ground_truth.ts";
import { ModelError } from "../../lib/errors.ts";
import { tempDir } from "../_helpers.ts";
import { scriptedModel } from "../_fakes.ts";
import { REMOVE_OCC, REMOVE_OCC_GOOD } from "./_fixtures.ts";

Deno.test("firstCodeBlock() takes the reply's first fenced block as it is", async (t) => {
  await t.step("the first of several, whatever its tag", () => {
    const text = "Sure:\n```py\ndef f(x):\n    return x\n```\nUsage:\n```python\nprint(f(1))\n```";
    assert.equal(firstCodeBlock(text), "def f(x):\n    return x\n");
  });
  await t.step("an untagged block, and one left open at the end", () => {
    assert.equal(firstCodeBlock("```\nx = 1\n```"), "x = 1\n");
    assert.equal(firstCodeBlock("~~~python\nx = 2\n"), "x = 2\n");
  });
  await t.step("none without a fence, or with an empty one", () => {
    assert.equal(firstCodeBlock("def f(x): return x"), undefined);
    assert.equal(firstCodeBlock("```python\n\n```"), undefined);
  });
});

/** A judge that passes exactly the good program, without running anything. */
const judge: Judge = (_truth, program) =>
  Promise.resolve(
    program.code.trim() === REMOVE_OCC_GOOD.trim()
      ? { passed: true, detail: "all 3 asserts passed" }
      : { passed: false, detail: "exit 1: AssertionError" },
  );

Deno.test("runRaw() asks once, plainly, and judges the reply's code", async (t) => {
  const bench = mbppBenchTask(REMOVE_OCC);
  await using dir = await tempDir();
  const options = { modelName: "m", limits: benchLimits(), judge, runsDir: dir.path, now: () => 0 };
  await t.step("one user message: the plain prompt, no system prompt", async () => {
    const model = scriptedModel([`Here you go:\n\`\`\`python\n${REMOVE_OCC_GOOD}\n\`\`\`\nIt works.`]);
    const outcome = await runRaw(bench, { ...options, model });
    assert.deepEqual(model.requests[0].messages, [{ role: "user", content: bench.plainPrompt }]);
    assert.deepEqual(rawMessages(bench), model.requests[0].messages);
    assert.equal(model.requests[0].maxTokens, 768, "the same max_tokens as the other arms");
    const record = outcome!.record;
    assert.deepEqual([record.arm, record.passed, record.attempts, record.status], ["raw", true, 1, "passed"]);
    assert.equal(record.attemptDetails[0].calls.length, 1);
    assert.ok(await Deno.readTextFile(`${dir.path}/raw/mbpp-11.md`), "the reply is kept");
  });
  await t.step("a reply without a code block fails", async () => {
    const outcome = await runRaw(bench, { ...options, model: scriptedModel(["Use str.replace."]) });
    assert.deepEqual([outcome!.record.passed, outcome!.record.attemptDetails[0].draft], [false, "no_code"]);
  });
  await t.step("a failing server is a run that ends in error", async () => {
    const model = scriptedModel([{ error: new ModelError("Model server answered 500: x", "http") }]);
    const record = (await runRaw(bench, { ...options, model }))!.record;
    assert.deepEqual([record.status, record.passed, record.attempts], ["error", false, 0]);
  });
});
