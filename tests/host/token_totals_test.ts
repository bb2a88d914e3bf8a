import assert from "node:assert/strict";
import { addUsage, NO_TOKENS, sumUsage, totalTokens } from "../../lib/host/token_totals.ts";

Deno.test("addUsage() sums calls and remembers any estimate", async (t) => {
  await t.step("sums prompt, completion and cached tokens", () => {
    const once = addUsage(NO_TOKENS, {
      promptTokens: 10,
      completionTokens: 5,
      cachedTokens: 2,
      estimated: false,
    });
    const twice = addUsage(once, { promptTokens: 7, completionTokens: 3, cachedTokens: 1, estimated: false });
    assert.deepEqual(twice, { prompt: 17, completion: 8, cached: 3, estimated: false });
    assert.equal(totalTokens(twice), 25);
  });

  await t.step("stays estimated once any call was estimated", () => {
    const estimated = addUsage(NO_TOKENS, {
      promptTokens: 1,
      completionTokens: 1,
      cachedTokens: 0,
      estimated: true,
    });
    const after = addUsage(estimated, {
      promptTokens: 1,
      completionTokens: 1,
      cachedTokens: 0,
      estimated: false,
    });
    assert.equal(after.estimated, true);
  });

  await t.step("leaves the totals it was given unchanged", () => {
    addUsage(NO_TOKENS, { promptTokens: 3, completionTokens: 3, cachedTokens: 0, estimated: true });
    assert.deepEqual(NO_TOKENS, { prompt: 0, completion: 0, cached: 0, estimated: false });
  });
});

Deno.test("sumUsage() adds up every call, estimated when any was", () => {
  const call = (promptTokens: number, estimated = false) => ({
    promptTokens,
    completionTokens: 2,
    cachedTokens: 1,
    estimated,
  });
  assert.deepEqual(sumUsage([]), NO_TOKENS);
  assert.deepEqual(sumUsage([call(5), call(7)]), { prompt: 12, completion: 4, cached: 2, estimated: false });
  assert.equal(sumUsage([call(5), call(7, true)]).estimated, true);
});
