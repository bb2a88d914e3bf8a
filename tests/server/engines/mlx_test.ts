import assert from "node:assert/strict";
import { ServerError } from "../../../lib/errors.ts";
import { mlx, mlxArgv } from "../../../lib/server/engines/mlx.ts";
import { json, standIn } from "../_helpers.ts";

Deno.test("mlxArgv() runs python3 -m mlx_lm.server with model, host and port", () => {
  const spec = { program: "python3", model: "mlx-community/Qwen", host: "127.0.0.1", port: 8081 };
  assert.deepEqual(mlxArgv({ ...spec, contextSize: 8192, parallel: 2 }), [
    "python3",
    "-m",
    "mlx_lm.server",
    "--model",
    "mlx-community/Qwen",
    "--host",
    "127.0.0.1",
    "--port",
    "8081",
  ]);
});

Deno.test("mlx readiness ends with a one-token warm-up, since /health answers before the model loads (fake HTTP server)", async () => {
  const chats: unknown[] = [];
  await using server = standIn(async (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/health") return json({ status: "ok" });
    if (path === "/v1/chat/completions") {
      chats.push(await req.json());
      return json({
        choices: [{ index: 0, message: { role: "assistant", content: "H" }, finish_reason: "length" }],
      });
    }
    return new Response("Not Found", { status: 404 });
  });
  const endpoint = mlx.endpoint("127.0.0.1", server.port);
  assert.deepEqual(await mlx.probe(endpoint, { fetch }), { kind: "ready" });
  const progress: string[] = [];
  await mlx.prepare!(endpoint, { fetch, model: "mlx-community/Qwen", onProgress: (m) => progress.push(m) });
  assert.deepEqual(chats, [{
    model: "mlx-community/Qwen",
    messages: [{ role: "user", content: "hi" }],
    max_tokens: 1,
    temperature: 0,
  }]);
  assert.deepEqual(progress, ["warming up mlx-community/Qwen"]);
});

Deno.test("mlx warm-up failure is a ServerError with the server's answer (fake HTTP server)", async () => {
  await using server = standIn(() => json({ error: "Model not found: nope" }, 404));
  const endpoint = mlx.endpoint("127.0.0.1", server.port);
  await assert.rejects(mlx.prepare!(endpoint, { fetch, model: "nope" }), (error: Error) => {
    assert.ok(error instanceof ServerError);
    assert.match(error.message, /^Cannot start mlx_lm.server: the warm-up request failed: HTTP 404/);
    return true;
  });
});

Deno.test("mlx probe: 503 unavailable means the model failed to load, for good (fake HTTP server)", async () => {
  await using server = standIn(() => json({ status: "unavailable" }, 503));
  assert.deepEqual(await mlx.probe(mlx.endpoint("127.0.0.1", server.port), { fetch }), {
    kind: "failed",
    detail: "the model failed to load: /health answers unavailable",
  });
  await using other = standIn(() => json({ error: "busy" }, 503));
  assert.equal((await mlx.probe(mlx.endpoint("127.0.0.1", other.port), { fetch })).kind, "down");
});

Deno.test("mlx identify reads /health and /v1/models and rejects other servers (fake HTTP server)", async (t) => {
  await using server = standIn((req) => {
    const path = new URL(req.url).pathname;
    if (path === "/health") return json({ status: "ok" });
    if (path === "/v1/models") {
      return json({ object: "list", data: [{ id: "mlx-community/Qwen" }, { id: "/Users/me/models/local" }] });
    }
    return new Response("Not Found", { status: 404 });
  });
  await t.step("a server listing its models", async () => {
    const identity = await mlx.identify(mlx.endpoint("127.0.0.1", server.port), { fetch });
    assert.deepEqual(identity?.models, ["mlx-community/Qwen", "/Users/me/models/local"]);
    assert.equal(mlx.servesModel(identity!, "mlx-community/Qwen"), true);
    assert.equal(mlx.servesModel(identity!, "/Users/me/models/local"), true);
    assert.equal(mlx.servesModel(identity!, "mlx-community/Other"), false);
  });
  await t.step(
    "a server without a Hugging Face cache: /v1/models answers 200 with an empty body",
    async () => {
      await using bare = standIn((req) =>
        new URL(req.url).pathname === "/health" ? json({ status: "ok" }) : new Response("", { status: 200 })
      );
      const identity = await mlx.identify(mlx.endpoint("127.0.0.1", bare.port), { fetch });
      assert.deepEqual(identity, { engine: "mlx", models: [], detail: undefined });
    },
  );
  await t.step("a llama-server-like answer is not mlx", async () => {
    await using other = standIn(() => json({ error: { code: 503 } }, 503));
    assert.equal(await mlx.identify(mlx.endpoint("127.0.0.1", other.port), { fetch }), undefined);
  });
});
