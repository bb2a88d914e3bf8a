import assert from "node:assert/strict";
import { openAIModel } from "../../lib/llm/client.ts";
import { estimateMessagesTokens, estimateTokens } from "../../lib/llm/usage.ts";
import { fakeOpenAIServer } from "../_fake_openai_server.ts";
import { MESSAGES, request } from "./_helpers.ts";

Deno.test("openAIModel() streams a reply", async (t) => {
  await t.step("assembles the text and hands each piece to onToken in order", async () => {
    await using server = fakeOpenAIServer({ replies: [{ text: "print('hello, world')", chunkSize: 5 }] });
    const pieces: string[] = [];
    const model = openAIModel({ baseUrl: server.baseUrl, model: "fake-model" });
    const reply = await model.chat(request({ onToken: (text) => pieces.push(text) }));
    assert.equal(reply.text, "print('hello, world')");
    assert.deepEqual(pieces, ["print", "('hel", "lo, w", "orld'", ")"]);
    assert.equal(reply.finishReason, "stop");
  });

  await t.step("sends the model, messages, max_tokens, temperature and a streaming request", async () => {
    await using server = fakeOpenAIServer({ replies: ["ok"] });
    const model = openAIModel({ baseUrl: server.baseUrl, model: "qwen-test" });
    await model.chat(request({ maxTokens: 123, temperature: 0.25 }));
    const [body] = server.chatBodies;
    assert.equal(body.model, "qwen-test");
    assert.deepEqual(body.messages, MESSAGES);
    assert.equal(body.max_tokens, 123);
    assert.equal(body.temperature, 0.25);
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(server.requests[0].headers.get("authorization"), "Bearer sk-no-key-required");
  });

  await t.step("sends temperature 0 and the given api key", async () => {
    await using server = fakeOpenAIServer({ replies: ["ok"] });
    const model = openAIModel({ baseUrl: server.baseUrl, model: "m", apiKey: "sk-test" });
    await model.chat(request({ temperature: 0 }));
    assert.equal(server.chatBodies[0].temperature, 0);
    assert.equal(server.requests[0].headers.get("authorization"), "Bearer sk-test");
  });

  await t.step("maps finish_reason length and other reasons", async () => {
    await using server = fakeOpenAIServer({
      replies: [{ text: "def f(", finishReason: "length" }, { text: "x", finishReason: "content_filter" }],
    });
    const model = openAIModel({ baseUrl: server.baseUrl, model: "m" });
    assert.equal((await model.chat(request())).finishReason, "length");
    assert.equal((await model.chat(request())).finishReason, "other");
  });

  await t.step("measures the call with the injected clock", async () => {
    await using server = fakeOpenAIServer({ replies: ["ok"] });
    const times = [1_000, 1_250];
    const model = openAIModel({ baseUrl: server.baseUrl, model: "m", now: () => times.shift() ?? 9_999 });
    assert.equal((await model.chat(request())).ms, 250);
  });

  await t.step("uses the injected fetch", async () => {
    await using server = fakeOpenAIServer({ replies: ["ok"] });
    const urls: string[] = [];
    const spy: typeof fetch = (input, init) => {
      urls.push(input instanceof Request ? input.url : String(input));
      return fetch(input, init);
    };
    const model = openAIModel({ baseUrl: server.baseUrl, model: "m", fetch: spy });
    assert.equal((await model.chat(request())).text, "ok");
    assert.deepEqual(urls, [`${server.baseUrl}/chat/completions`]);
  });
});

Deno.test("openAIModel() reports usage", async (t) => {
  await t.step("maps the server's prompt and completion tokens", async () => {
    await using server = fakeOpenAIServer({
      replies: [{ text: "print(1)", usage: { promptTokens: 42, completionTokens: 7 } }],
    });
    const reply = await openAIModel({ baseUrl: server.baseUrl, model: "m" }).chat(request());
    assert.deepEqual(reply.usage, {
      promptTokens: 42,
      completionTokens: 7,
      cachedTokens: 0,
      estimated: false,
    });
    assert.equal(reply.timings, undefined);
  });

  await t.step("maps cached tokens and llama-server timings", async () => {
    await using server = fakeOpenAIServer({
      replies: [{
        text: "print(2)",
        usage: { promptTokens: 100, completionTokens: 3 },
        cachedTokens: 64,
        timings: { promptN: 36, promptMs: 12.5, predictedN: 3, predictedMs: 40.25, cacheN: 64 },
      }],
    });
    const reply = await openAIModel({ baseUrl: server.baseUrl, model: "m" }).chat(request());
    assert.deepEqual(reply.usage, {
      promptTokens: 100,
      completionTokens: 3,
      cachedTokens: 64,
      estimated: false,
    });
    assert.deepEqual(reply.timings, { prefillMs: 12.5, decodeMs: 40.25 });
  });

  await t.step("maps speculative decoding's drafted and accepted tokens", async () => {
    await using server = fakeOpenAIServer({
      replies: [{
        text: "print(3)",
        usage: { promptTokens: 10, completionTokens: 40 },
        timings: {
          promptN: 10,
          promptMs: 5,
          predictedN: 40,
          predictedMs: 500,
          draftN: 32,
          draftAccepted: 24,
        },
      }],
    });
    const reply = await openAIModel({ baseUrl: server.baseUrl, model: "m" }).chat(request());
    assert.deepEqual(reply.timings, { prefillMs: 5, decodeMs: 500, draftTokens: 32, draftAccepted: 24 });
  });

  await t.step("takes cached tokens from timings.cache_n when usage has none", async () => {
    await using server = fakeOpenAIServer({
      replies: [{
        text: "x",
        usage: { promptTokens: 50, completionTokens: 1 },
        timings: { promptN: 20, promptMs: 5, predictedN: 1, predictedMs: 2, cacheN: 30 },
      }],
    });
    const reply = await openAIModel({ baseUrl: server.baseUrl, model: "m" }).chat(request());
    assert.equal(reply.usage.cachedTokens, 30);
    assert.equal(reply.usage.estimated, false);
  });

  await t.step("counts tokens from timings when the server sends timings but no usage", async () => {
    await using server = fakeOpenAIServer({
      replies: [{
        text: "abc",
        usage: false,
        timings: { promptN: 20, promptMs: 5, predictedN: 9, predictedMs: 2, cacheN: 30 },
      }],
    });
    const reply = await openAIModel({ baseUrl: server.baseUrl, model: "m" }).chat(request());
    assert.deepEqual(reply.usage, {
      promptTokens: 50,
      completionTokens: 9,
      cachedTokens: 30,
      estimated: false,
    });
  });

  await t.step("estimates usage locally when the server reports none", async () => {
    const text = "for i in range(10):\n    print(i)\n";
    await using server = fakeOpenAIServer({ replies: [{ text, usage: false }] });
    const reply = await openAIModel({ baseUrl: server.baseUrl, model: "m" }).chat(request());
    assert.deepEqual(reply.usage, {
      promptTokens: estimateMessagesTokens(MESSAGES),
      completionTokens: estimateTokens(text),
      cachedTokens: 0,
      estimated: true,
    });
    assert.equal(reply.usage.completionTokens, Math.ceil(text.length / 4));
  });
});

Deno.test("openAIModel() pins each persona to its slot with id_slot, only when given slots", async (t) => {
  await t.step("slots given: the persona's slot is sent; a request without a persona gets none", async () => {
    await using server = fakeOpenAIServer({ replies: ["a", "b", "c"] });
    const model = openAIModel({ baseUrl: server.baseUrl, model: "m", slots: { coder: 0, sheriff: 1 } });
    await model.chat(request({ persona: "coder" }));
    await model.chat(request({ persona: "sheriff" }));
    await model.chat(request());
    const sent = server.chatBodies.map((body) => body.id_slot);
    assert.deepEqual(sent, [0, 1, undefined]);
  });
  await t.step("no slots (ollama, a remote OpenAI URL): the request is plain OpenAI", async () => {
    await using server = fakeOpenAIServer({ replies: ["a"] });
    const model = openAIModel({ baseUrl: server.baseUrl, model: "m" });
    await model.chat(request({ persona: "coder" }));
    assert.equal("id_slot" in server.chatBodies[0], false);
  });
});
