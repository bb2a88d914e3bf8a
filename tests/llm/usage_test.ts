import assert from "node:assert/strict";
import { estimateMessagesTokens, estimateTokens, estimateUsage } from "../../lib/llm/usage.ts";

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
