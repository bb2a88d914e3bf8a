import assert from "node:assert/strict";
import { ModelError } from "../../lib/errors.ts";
import { openAIModel } from "../../lib/llm/client.ts";
import { fakeOpenAIServer } from "../_fake_openai_server.ts";
import { closedPort, rejection, request } from "./_helpers.ts";

Deno.test("openAIModel() turns failures into ModelError", async (t) => {
  await t.step("an HTTP 500 is reason http with the status and the short body", async () => {
    await using server = fakeOpenAIServer({
      replies: [{ status: 500, body: JSON.stringify({ error: { code: 500, message: "slot unavailable" } }) }],
    });
    const error = await rejection(openAIModel({ baseUrl: server.baseUrl, model: "m" }).chat(request()));
    assert.ok(error instanceof ModelError);
    assert.equal(error.reason, "http");
    assert.equal(error.message, "Model server answered 500: slot unavailable");
    assert.equal(server.chatBodies.length, 1, "the SDK must not retry");
  });

  await t.step("a plain-text error body is quoted", async () => {
    await using server = fakeOpenAIServer({ replies: [{ status: 400, body: "context size exceeded" }] });
    const error = await rejection(openAIModel({ baseUrl: server.baseUrl, model: "m" }).chat(request()));
    assert.ok(error instanceof ModelError);
    assert.equal(error.message, "Model server answered 400: context size exceeded");
  });

  await t.step("a refused connection is reason unreachable", async () => {
    const baseUrl = `http://127.0.0.1:${closedPort()}/v1`;
    const error = await rejection(openAIModel({ baseUrl, model: "m" }).chat(request()));
    assert.ok(error instanceof ModelError);
    assert.equal(error.reason, "unreachable");
    assert.equal(error.message, `Cannot reach the model server at ${baseUrl}: connection refused`);
  });

  await t.step("a stream of malformed JSON is reason bad_reply", async () => {
    await using server = fakeOpenAIServer({ replies: [{ garbage: true }] });
    const error = await rejection(openAIModel({ baseUrl: server.baseUrl, model: "m" }).chat(request()));
    assert.ok(error instanceof ModelError);
    assert.equal(error.reason, "bad_reply");
    assert.match(error.message, /^Model server sent an unreadable reply: /);
  });

  await t.step("a body that is not an event stream is reason bad_reply", async () => {
    await using server = fakeOpenAIServer({ replies: [{ garbage: "<html>gateway says hi</html>\n" }] });
    const error = await rejection(openAIModel({ baseUrl: server.baseUrl, model: "m" }).chat(request()));
    assert.ok(error instanceof ModelError);
    assert.equal(error.reason, "bad_reply");
  });

  await t.step("an error event inside the stream is reason http", async () => {
    const raw = `data: ${JSON.stringify({ error: { message: "out of memory" } })}\n\n`;
    await using server = fakeOpenAIServer({ replies: [{ garbage: raw }] });
    const error = await rejection(openAIModel({ baseUrl: server.baseUrl, model: "m" }).chat(request()));
    assert.ok(error instanceof ModelError);
    assert.equal(error.reason, "http");
    assert.equal(error.message, "Model server reported an error in its reply: out of memory");
  });
});

Deno.test("openAIModel() stops a call", async (t) => {
  await t.step("a hanging server hits timeoutMs: ModelError timeout, about on time", async () => {
    await using server = fakeOpenAIServer({ replies: [{ hang: true }] });
    const started = performance.now();
    const error = await rejection(
      openAIModel({ baseUrl: server.baseUrl, model: "m" }).chat(request({ timeoutMs: 300 })),
    );
    const elapsed = performance.now() - started;
    assert.ok(error instanceof ModelError);
    assert.equal(error.reason, "timeout");
    assert.equal(error.message, "Model call timed out after 0.3 s");
    assert.ok(elapsed >= 290 && elapsed < 3_000, `took ${elapsed} ms`);
  });

  await t.step("a slow stream is cut off by timeoutMs after some tokens arrived", async () => {
    await using server = fakeOpenAIServer({
      replies: [{ text: "a".repeat(200), chunkSize: 1, chunkDelayMs: 20 }],
    });
    const pieces: string[] = [];
    const call = openAIModel({ baseUrl: server.baseUrl, model: "m" })
      .chat(request({ timeoutMs: 300, onToken: (text) => pieces.push(text) }));
    const error = await rejection(call);
    assert.ok(error instanceof ModelError);
    assert.equal(error.reason, "timeout");
    assert.ok(pieces.length > 0 && pieces.length < 200, `got ${pieces.length} pieces`);
  });

  await t.step("the caller's abort rejects with an AbortError, not a ModelError", async () => {
    await using server = fakeOpenAIServer({ replies: [{ hang: true }] });
    const controller = new AbortController();
    const call = openAIModel({ baseUrl: server.baseUrl, model: "m" })
      .chat(request({ signal: controller.signal, timeoutMs: 60_000 }));
    const timer = setTimeout(() => controller.abort(), 50);
    const error = await rejection(call);
    clearTimeout(timer);
    assert.ok(error instanceof DOMException);
    assert.equal(error.name, "AbortError");
  });

  await t.step("an abort mid-stream rejects with an AbortError", async () => {
    await using server = fakeOpenAIServer({
      replies: [{ text: "b".repeat(100), chunkSize: 1, chunkDelayMs: 10 }],
    });
    const controller = new AbortController();
    const call = openAIModel({ baseUrl: server.baseUrl, model: "m" }).chat(request({
      signal: controller.signal,
      onToken: () => controller.abort(),
    }));
    const error = await rejection(call);
    assert.ok(error instanceof DOMException);
    assert.equal(error.name, "AbortError");
  });

  await t.step("an already aborted signal rejects before any request", async () => {
    await using server = fakeOpenAIServer({ replies: ["never"] });
    const error = await rejection(
      openAIModel({ baseUrl: server.baseUrl, model: "m" }).chat(request({ signal: AbortSignal.abort() })),
    );
    assert.ok(error instanceof DOMException);
    assert.equal(error.name, "AbortError");
    assert.equal(server.requests.length, 0);
  });

  await t.step("an error thrown by onToken propagates unchanged and closes the stream", async () => {
    await using server = fakeOpenAIServer({
      replies: [{ text: "c".repeat(50), chunkSize: 1, chunkDelayMs: 5 }],
    });
    const bug = new RangeError("renderer broke");
    const error = await rejection(
      openAIModel({ baseUrl: server.baseUrl, model: "m" }).chat(request({
        onToken: () => {
          throw bug;
        },
      })),
    );
    assert.equal(error, bug);
  });
});
