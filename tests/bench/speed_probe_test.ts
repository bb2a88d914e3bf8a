import assert from "node:assert/strict";
import { speedProbe } from "../../lib/bench/speed_probe.ts";
import { openAIModel } from "../../lib/llm/client.ts";
import { ModelError } from "../../lib/errors.ts";
import type { ChatMessage } from "../../lib/types.ts";
import { fakeOpenAIServer } from "../_fake_openai_server.ts";

const PROMPT: ChatMessage[] = [{ role: "system", content: "You are the Coder." }, {
  role: "user",
  content: "Sum 1..3",
}];
const TIMINGS = { promptN: 1, promptMs: 5, predictedN: 40, predictedMs: 2000 };

function options(baseUrl: string) {
  return {
    model: openAIModel({ baseUrl, model: "fake-model" }),
    baseUrl,
    modelName: "fake-model",
    maxTokens: 64,
    temperature: 0,
    timeoutMs: 5_000,
  };
}

Deno.test("speedProbe() sends each prompt raw to warm the cache, then streamed, then raw again", async () => {
  const reply = { text: "print(6)", usage: { promptTokens: 30, completionTokens: 40 }, timings: TIMINGS };
  await using server = fakeOpenAIServer({ replies: [reply, reply, reply] });
  const report = await speedProbe([PROMPT], options(server.baseUrl));
  assert.deepEqual(server.chatBodies.map((b) => b.stream ?? false), [false, true, false]);
  for (const body of server.chatBodies) {
    assert.deepEqual(body.messages, PROMPT);
    assert.equal(body.max_tokens, 64);
    assert.equal(body.temperature, 0);
  }
  const [sample] = report.samples;
  assert.equal(sample.promptTokens, 30);
  assert.equal(sample.raw.completionTokens, 40);
  assert.equal(sample.streamed.completionTokens, 40);
  assert.equal(sample.raw.decodeTokensPerSec, 20);
  assert.equal(sample.streamed.decodeTokensPerSec, 20);
  assert.ok(sample.raw.tokensPerSec > 0 && sample.streamed.tokensPerSec > 0);
  assert.equal(report.ratio, report.streamedTokensPerSec / report.rawTokensPerSec);
});

Deno.test("speedProbe() turns a failing server into a ModelError", async () => {
  await using server = fakeOpenAIServer({ replies: [{ status: 500 }] });
  await assert.rejects(
    speedProbe([PROMPT], options(server.baseUrl)),
    (e) => e instanceof ModelError && e.message === "Speed probe request failed: the server answered 500",
  );
});
