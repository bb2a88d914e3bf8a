import assert from "node:assert/strict";
import { ModelError } from "../../lib/errors.ts";
import { coderTurn } from "../../lib/agents/coder.ts";
import { coderMessages } from "../../lib/agents/prompts.ts";
import type { TurnOptions } from "../../lib/agents/turn_options.ts";
import { attempt, codeDraft, exited, FIZZ_TASK, reply, TS_TASK } from "./_factories.ts";
import { scriptedModel } from "../_fakes.ts";

const OPTIONS: TurnOptions = { maxTokens: 512, temperature: 0, timeoutMs: 120_000 };

Deno.test("coderTurn() sends the Coder's prompt with the turn's options", async (t) => {
  await t.step("first turn: limits forwarded, no keys for unset options", async () => {
    const model = scriptedModel([reply("```python\nprint(1)\n```")]);
    const { messages } = await coderTurn(model, FIZZ_TASK, [], OPTIONS);
    assert.equal(model.requests.length, 1);
    assert.deepEqual(model.requests[0], { messages, maxTokens: 512, temperature: 0, timeoutMs: 120_000 });
    assert.deepEqual(messages, coderMessages(FIZZ_TASK));
  });
  await t.step("retry: the previous attempt is in the prompt", async () => {
    const previous = attempt({ draft: codeDraft("print(0)\n"), exec: exited(1, "", "boom") });
    const model = scriptedModel([reply("```python\nprint(1)\n```")]);
    const { messages } = await coderTurn(model, FIZZ_TASK, [previous], OPTIONS);
    assert.deepEqual(messages, coderMessages(FIZZ_TASK, [previous]));
    assert.equal(model.requests[0].messages, messages);
  });
  await t.step("signal and onToken are forwarded", async () => {
    const controller = new AbortController();
    const tokens: string[] = [];
    const onToken = (text: string) => tokens.push(text);
    const text = "```ts\nconsole.log(1);\n```";
    const model = scriptedModel([reply(text)]);
    await coderTurn(model, TS_TASK, [], {
      ...OPTIONS,
      temperature: 0.2,
      signal: controller.signal,
      onToken,
    });
    assert.equal(model.requests[0].signal, controller.signal);
    assert.equal(model.requests[0].onToken, onToken);
    assert.equal(model.requests[0].temperature, 0.2);
    assert.equal(tokens.join(""), text);
  });
});

Deno.test("coderTurn() extracts the draft for the task's language", async (t) => {
  await t.step("code", async () => {
    const modelReply = reply("Here:\n```python\nprint(1)\n```");
    const { draft } = await coderTurn(scriptedModel([modelReply]), FIZZ_TASK, [], OPTIONS);
    assert.deepEqual(draft, { kind: "code", code: "print(1)\n", reply: modelReply });
  });
  await t.step("truncated", async () => {
    const modelReply = reply("```python\nprint(", "length");
    const { draft } = await coderTurn(scriptedModel([modelReply]), FIZZ_TASK, [], OPTIONS);
    assert.deepEqual(draft, { kind: "truncated", partial: "print(", reply: modelReply });
  });
  await t.step("a python block for a typescript task is no code", async () => {
    const modelReply = reply("```python\nprint(1)\n```");
    const { draft } = await coderTurn(scriptedModel([modelReply]), TS_TASK, [], OPTIONS);
    assert.deepEqual(draft, { kind: "no_code", reply: modelReply });
  });
});

Deno.test("coderTurn() lets model errors propagate", async (t) => {
  await t.step("ModelError", async () => {
    const error = new ModelError("Model call timed out: no reply after 120000 ms", "timeout");
    const model = scriptedModel([{ error }]);
    await assert.rejects(coderTurn(model, FIZZ_TASK, [], OPTIONS), (thrown) => thrown === error);
  });
  await t.step("AbortError", async () => {
    const error = new DOMException("Aborted", "AbortError");
    const model = scriptedModel([{ error }]);
    await assert.rejects(coderTurn(model, FIZZ_TASK, [], OPTIONS), (thrown) => thrown === error);
  });
});
