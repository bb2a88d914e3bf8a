import assert from "node:assert/strict";
import { probeServer } from "../../lib/llm/probe.ts";
import { fakeOpenAIServer } from "../_fake_openai_server.ts";
import { closedPort } from "./_helpers.ts";

Deno.test("probeServer() lists the models of a healthy server", async (t) => {
  await t.step("returns the ids in the server's order", async () => {
    await using server = fakeOpenAIServer({ models: ["qwen2-tiny", "other"] });
    assert.deepEqual(await probeServer(server.baseUrl), { kind: "ok", models: ["qwen2-tiny", "other"] });
    assert.equal(server.requests[0].method, "GET");
    assert.equal(server.requests[0].path, "/v1/models");
  });

  await t.step("accepts a trailing slash on the base URL", async () => {
    await using server = fakeOpenAIServer({ models: ["m"] });
    assert.deepEqual(await probeServer(`${server.baseUrl}/`), { kind: "ok", models: ["m"] });
    assert.equal(server.requests[0].path, "/v1/models");
  });

  await t.step("reads an Ollama-style models array", async () => {
    const fakeFetch: typeof fetch = () =>
      Promise.resolve(Response.json({ models: [{ name: "llama3:8b", model: "llama3:8b" }, { name: "x" }] }));
    const result = await probeServer("http://models.invalid/v1", { fetch: fakeFetch });
    assert.deepEqual(result, { kind: "ok", models: ["llama3:8b", "x"] });
  });
});

Deno.test("probeServer() reports an unreachable server", async (t) => {
  await t.step("connection refused", async () => {
    const baseUrl = `http://127.0.0.1:${closedPort()}/v1`;
    assert.deepEqual(await probeServer(baseUrl), {
      kind: "unreachable",
      error: `Cannot reach the model server at ${baseUrl}: connection refused`,
    });
  });

  await t.step("no answer within timeoutMs", async () => {
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason), { once: true });
      });
    const started = performance.now();
    const result = await probeServer("http://127.0.0.1:9/v1", { fetch: hanging, timeoutMs: 200 });
    assert.deepEqual(result, {
      kind: "unreachable",
      error: "Cannot reach the model server at http://127.0.0.1:9/v1: no answer within 0.2 s",
    });
    assert.ok(performance.now() - started < 3_000);
  });
});

Deno.test("probeServer() reports a failing server", async (t) => {
  await t.step("an error status with the server's message", async () => {
    const body = JSON.stringify({
      error: { code: 503, message: "Loading model", type: "unavailable_error" },
    });
    await using server = fakeOpenAIServer({ models: { status: 503, body } });
    assert.deepEqual(await probeServer(server.baseUrl), {
      kind: "failing",
      status: 503,
      error: `Model server at ${server.baseUrl} answered 503: Loading model`,
    });
  });

  await t.step("a 200 that is not a model list", async () => {
    const fakeFetch: typeof fetch = () => Promise.resolve(new Response("<html>hello</html>"));
    const result = await probeServer("http://web.invalid/v1", { fetch: fakeFetch });
    assert.equal(result.kind, "failing");
    assert.equal(result.kind === "failing" && result.status, 200);
    assert.match(result.kind === "failing" ? result.error : "", /did not answer \/models with a model list/);
  });
});

Deno.test("probeServer() reports a server that answers /models with an empty body as unlisted", async () => {
  // mlx_lm.server does this when no Hugging Face cache exists: it serves, but cannot list.
  const fakeFetch: typeof fetch = () => Promise.resolve(new Response("", { status: 200 }));
  assert.deepEqual(await probeServer("http://mlx.invalid/v1", { fetch: fakeFetch }), {
    kind: "unlisted",
    error: "Model server at http://mlx.invalid/v1 answered /models with an empty body",
  });
});

Deno.test("probeServer() rejects with an AbortError when the caller aborts", async () => {
  const hanging: typeof fetch = (_input, init) =>
    new Promise((_resolve, reject) => {
      init?.signal?.addEventListener("abort", () => reject(init.signal?.reason), { once: true });
    });
  const controller = new AbortController();
  const probe = probeServer("http://127.0.0.1:9/v1", { fetch: hanging, signal: controller.signal });
  controller.abort();
  await assert.rejects(
    probe,
    (error: unknown) => error instanceof DOMException && error.name === "AbortError",
  );
});
