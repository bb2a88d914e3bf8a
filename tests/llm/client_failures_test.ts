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
  await t.step(
    "a server that sends no answer at all within the stall limit: ModelError timeout",
    async () => {
      await using server = fakeOpenAIServer({ replies: [{ silent: true }] });
      const error = await rejection(
        openAIModel({ baseUrl: server.baseUrl, model: "m" }).chat(
          request({ stallMs: 300, timeoutMs: 60_000 }),
        ),
      );
      assert.ok(error instanceof ModelError);
      assert.equal(error.reason, "timeout");
      assert.equal(error.message, "Model server sent no answer within 0.3 s");
    },
  );

  await t.step("a server that answers but sends no token: the turn stops empty, time_limit", async () => {
    await using server = fakeOpenAIServer({ replies: [{ hang: true }] });
    const reply = await openAIModel({ baseUrl: server.baseUrl, model: "m" })
      .chat(request({ stallMs: 300, timeoutMs: 60_000 }));
    assert.equal(reply.finishReason, "time_limit");
    assert.equal(reply.text, "");
  });

  await t.step(
    "a stream that keeps streaming slowly is stopped at the cap and keeps what arrived",
    async () => {
      await using server = fakeOpenAIServer({
        replies: [{ text: "a".repeat(200), chunkSize: 1, chunkDelayMs: 20 }],
      });
      const pieces: string[] = [];
      const reply = await openAIModel({ baseUrl: server.baseUrl, model: "m" })
        .chat(request({ stallMs: 5_000, timeoutMs: 300, onToken: (text) => pieces.push(text) }));
      assert.equal(reply.finishReason, "time_limit");
      assert.ok(pieces.length > 0 && pieces.length < 200, `got ${pieces.length} pieces`);
      assert.equal(reply.text, pieces.join(""));
      assert.equal(reply.usage.estimated, true, "no usage came from the server");
    },
  );

  await t.step(
    "a stream that stalls mid-reply is stopped at the stall limit and keeps what arrived",
    async () => {
      await using server = fakeOpenAIServer({
        replies: [{
          text: "```python\nprint(1)\n```\nAnd now a long explanation",
          chunkSize: 22,
          stallAfter: 1,
        }],
      });
      const reply = await openAIModel({ baseUrl: server.baseUrl, model: "m" })
        .chat(request({ stallMs: 250, timeoutMs: 60_000 }));
      assert.equal(reply.finishReason, "time_limit");
      assert.equal(reply.text, "```python\nprint(1)\n```");
    },
  );

  await t.step("a slow but steady stream within both limits finishes normally", async () => {
    await using server = fakeOpenAIServer({ replies: [{ text: "abcdef", chunkSize: 1, chunkDelayMs: 30 }] });
    const reply = await openAIModel({ baseUrl: server.baseUrl, model: "m" })
      .chat(request({ stallMs: 2_000, timeoutMs: 60_000 }));
    assert.equal(reply.finishReason, "stop");
    assert.equal(reply.text, "abcdef");
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
