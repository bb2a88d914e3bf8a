import assert from "node:assert/strict";
import { budgetStop, firstStop } from "../../lib/orchestrator/stop_conditions.ts";
import { testLimits } from "../_helpers.ts";

const tokens = (prompt: number, completion: number) => ({ prompt, completion, cached: 0, estimated: false });

Deno.test("budgetStop() says whether the budget is spent or the next prompt would not fit", async (t) => {
  const limits = testLimits({ totalTokenBudget: 300 });
  await t.step("room left: no stop", () => {
    assert.equal(budgetStop(limits, tokens(100, 19), 100), undefined);
  });
  await t.step("the next prompt would not fit what is left", () => {
    assert.deepEqual(budgetStop(limits, tokens(100, 19), 170), {
      reason: "token_budget",
      detail: "Stopped before the next model call: its prompt (about 170 tokens) and a reply would not fit " +
        "the 181 tokens left of the budget (119 of 300 used)",
    });
  });
  await t.step("nothing useful is left: spent", () => {
    assert.deepEqual(budgetStop(limits, tokens(200, 95), 170), {
      reason: "token_budget",
      detail: "Token budget spent: 295 of 300 tokens used",
    });
  });
  await t.step("between attempts (no prompt yet): spent", () => {
    assert.equal(
      budgetStop(limits, tokens(250, 40), 0)?.detail,
      "Token budget spent: 290 of 300 tokens used",
    );
  });
});

Deno.test("firstStop() counts attempts in words that agree", () => {
  const attempt = { verdict: { passed: false, overruled: false, reasons: [] } };
  const one = firstStop(testLimits({ maxAttempts: 1 }), [attempt as never], tokens(0, 0), undefined);
  assert.equal(one?.detail, "No passing program after 1 attempt");
  const two = firstStop(
    testLimits({ maxAttempts: 2 }),
    [attempt, attempt] as never[],
    tokens(0, 0),
    undefined,
  );
  assert.equal(two?.detail, "No passing program after 2 attempts");
});
