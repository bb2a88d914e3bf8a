import assert from "node:assert/strict";
import { fakeOpenAIServer } from "../_fake_openai_server.ts";

function post(url: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(url, { method: "POST", body: JSON.stringify(body), signal });
}

Deno.test("fakeOpenAIServer() answers a non-streaming request with a chat completion", async () => {
  await using server = fakeOpenAIServer({
    replies: [{ text: "hello", finishReason: "length", usage: { promptTokens: 3, completionTokens: 2 } }],
  });
  const response = await post(`${server.baseUrl}/chat/completions`, {
    model: "m",
    messages: [{ role: "user", content: "hi" }],
  });
  const body = await response.json();
  assert.equal(body.object, "chat.completion");
  assert.equal(body.choices[0].message.content, "hello");
  assert.equal(body.choices[0].finish_reason, "length");
  assert.deepEqual(body.usage, { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
  assert.deepEqual(server.chatBodies[0].messages, [{ role: "user", content: "hi" }]);
});

Deno.test("fakeOpenAIServer() streams server-sent events ending with [DONE]", async () => {
  await using server = fakeOpenAIServer({ replies: [{ text: "abcdef", chunkSize: 3 }] });
  const response = await post(`${server.baseUrl}/chat/completions`, {
    messages: [],
    stream: true,
    stream_options: { include_usage: true },
  });
  assert.equal(response.headers.get("content-type"), "text/event-stream");
  const events = (await response.text()).split("\n\n").filter(Boolean).map((e) => e.replace(/^data: /, ""));
  assert.equal(events.at(-1), "[DONE]");
  const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
  const text = chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");
  assert.equal(text, "abcdef");
  assert.deepEqual(chunks.at(-1).choices, []);
  assert.equal(chunks.at(-1).usage.completion_tokens, 2);
});

Deno.test("fakeOpenAIServer() answers 500 once its script is used up", async () => {
  await using server = fakeOpenAIServer({ replies: [] });
  const response = await post(`${server.baseUrl}/chat/completions`, { messages: [] });
  assert.equal(response.status, 500);
  assert.match(await response.text(), /no scripted reply left/);
});

Deno.test("fakeOpenAIServer() closes a hanging stream on dispose while a client still reads it", async () => {
  const server = fakeOpenAIServer({ replies: [{ hang: true }] });
  const response = await post(`${server.baseUrl}/chat/completions`, { messages: [], stream: true });
  assert.equal(response.status, 200);
  const reading = response.text();
  await server.close();
  assert.equal(await reading, "");
  await server.close();
});
