import assert from "node:assert/strict";
import { ReplyAssembler } from "../../lib/llm/reply_assembler.ts";
import type { ChatMessage } from "../../lib/types.ts";

const MESSAGES: ChatMessage[] = [{ role: "user", content: "Say hi." }];

function delta(content: string | null, finishReason: string | null = null) {
  return { choices: [{ index: 0, delta: { content }, finish_reason: finishReason }] };
}

Deno.test("ReplyAssembler.add() returns each text delta and ignores chunks of unknown shape", () => {
  const assembler = new ReplyAssembler();
  assert.equal(assembler.add(delta(null)), "");
  assert.equal(assembler.add(delta("Hi")), "Hi");
  assert.equal(assembler.add(42), "");
  assert.equal(assembler.add({ hello: "world" }), "");
  assert.equal(assembler.add({ choices: [{ delta: { content: 7 } }] }), "");
  assert.equal(assembler.add(delta(" there", "stop")), " there");
  assert.equal(assembler.chunks, 4);
  assert.equal(assembler.finished, true);
  assert.equal(assembler.finish(MESSAGES, 5).text, "Hi there");
});

Deno.test("ReplyAssembler.finish() takes usage and timings from whichever chunk carries them", async (t) => {
  await t.step("usage on the chunk with the finish reason (older llama-server)", () => {
    const assembler = new ReplyAssembler();
    assembler.add(delta("ok"));
    assembler.add({
      ...delta("", "length"),
      usage: { prompt_tokens: 9, completion_tokens: 1, prompt_tokens_details: null },
      timings: { prompt_n: 9, prompt_ms: 3, predicted_n: 1, predicted_ms: 4 },
    });
    const reply = assembler.finish(MESSAGES, 12);
    assert.deepEqual(reply, {
      text: "ok",
      finishReason: "length",
      usage: { promptTokens: 9, completionTokens: 1, cachedTokens: 0, estimated: false },
      ms: 12,
      timings: { prefillMs: 3, decodeMs: 4 },
    });
  });

  await t.step("no finish reason at all is reported as other", () => {
    const assembler = new ReplyAssembler();
    assembler.add(delta("cut"));
    assert.equal(assembler.finished, false);
    assert.equal(assembler.finish(MESSAGES, 1).finishReason, "other");
  });

  await t.step("timings without both durations are left out", () => {
    const assembler = new ReplyAssembler();
    assembler.add({ ...delta("x", "stop"), timings: { prompt_ms: 3 } });
    assert.equal(assembler.finish(MESSAGES, 1).timings, undefined);
  });
});
