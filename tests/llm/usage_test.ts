import assert from "node:assert/strict";
import {
  addUsage,
  estimateMessagesTokens,
  estimateTokens,
  estimateUsage,
  NO_TOKENS,
  totalTokens,
} from "../../lib/llm/usage.ts";

Deno.test("estimateTokens() counts about one token per four characters, rounded up", () => {
  assert.equal(estimateTokens(""), 0);
  assert.equal(estimateTokens("abc"), 1);
  assert.equal(estimateTokens("abcd"), 1);
  assert.equal(estimateTokens("abcde"), 2);
  assert.equal(estimateTokens("x".repeat(400)), 100);
});

Deno.test("estimateMessagesTokens() adds each message's content plus a little framing", () => {
  const messages = [
    { role: "system" as const, content: "x".repeat(40) },
    { role: "user" as const, content: "y".repeat(9) },
  ];
  assert.equal(estimateMessagesTokens([]), 0);
  assert.equal(estimateMessagesTokens(messages), 10 + 3 + 2 * 4);
});

Deno.test("estimateUsage() marks the usage as estimated", () => {
  const usage = estimateUsage([{ role: "user", content: "abcdefgh" }], "abcde");
  assert.deepEqual(usage, { promptTokens: 2 + 4, completionTokens: 2, cachedTokens: 0, estimated: true });
});

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
