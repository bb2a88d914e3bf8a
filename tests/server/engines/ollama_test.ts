import assert from "node:assert/strict";
import { ServerError } from "../../../lib/errors.ts";
import { ollama, ollamaLaunch, sameOllamaModel } from "../../../lib/server/engines/ollama.ts";
import { json, standIn } from "../_helpers.ts";

Deno.test("ollamaLaunch() runs ollama serve with OLLAMA_HOST, parallelism and per-slot context", () => {
  const launch = ollamaLaunch({
    program: "/usr/bin/ollama",
    model: "m",
    host: "127.0.0.1",
    port: 11500,
    contextSize: 8192,
    parallel: 2,
  });
  assert.deepEqual(launch, {
    argv: ["/usr/bin/ollama", "serve"],
    env: { OLLAMA_HOST: "127.0.0.1:11500", OLLAMA_NUM_PARALLEL: "2", OLLAMA_CONTEXT_LENGTH: "4096" },
  });
});

Deno.test("sameOllamaModel() treats a bare name as :latest", () => {
  assert.equal(sameOllamaModel("qwen2.5-coder:latest", "qwen2.5-coder"), true);
  assert.equal(sameOllamaModel("qwen2.5-coder:1.5b", "qwen2.5-coder:1.5b"), true);
  assert.equal(sameOllamaModel("qwen2.5-coder:7b", "qwen2.5-coder:1.5b"), false);
});

/** An in-process stand-in speaking ollama's API; `pulls` records pull requests. */
function ollamaStandIn(models: string[], pullLines: unknown[]) {
  const pulls: unknown[] = [];
  const server = standIn(async (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/api/version") return json({ version: "0.12.0" });
    if (path === "/api/tags") return json({ models: models.map((name) => ({ name, model: name })) });
    if (path === "/api/pull") {
      pulls.push(await req.json());
      return new Response(pullLines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    }
    return new Response("404 page not found", { status: 404 });
  });
  return { server, pulls };
}

Deno.test("ollama prepare pulls a missing model, streaming progress (stand-in ollama)", async (t) => {
  const lines = [
    { status: "pulling manifest" },
    { status: "pulling 6a07", total: 1000, completed: 250 },
    { status: "pulling 6a07", total: 1000, completed: 1000 },
    { status: "success" },
  ];
  const { server, pulls } = ollamaStandIn(["llama3:latest"], lines);
  await using _ = server;
  const endpoint = ollama.endpoint("127.0.0.1", server.port);
  await t.step("probe and identify", async () => {
    assert.deepEqual(await ollama.probe(endpoint, { fetch }), { kind: "ready" });
    const identity = await ollama.identify(endpoint, { fetch });
    assert.deepEqual(identity, { engine: "ollama", models: ["llama3:latest"], detail: "ollama 0.12.0" });
  });
  await t.step("a model already there is not pulled", async () => {
    await ollama.prepare!(endpoint, { fetch, model: "llama3" });
    assert.deepEqual(pulls, []);
  });
  await t.step("a missing model is pulled with progress", async () => {
    const progress: [string, number | undefined][] = [];
    await ollama.prepare!(endpoint, {
      fetch,
      model: "qwen2.5-coder:1.5b",
      onProgress: (m, p) => progress.push([m, p]),
    });
    assert.deepEqual(pulls, [{ model: "qwen2.5-coder:1.5b", stream: true }]);
    assert.deepEqual(progress, [
      ["pulling qwen2.5-coder:1.5b", undefined],
      ["pulling manifest", undefined],
      ["pulling 6a07", 25],
      ["pulling 6a07", 100],
      ["success", undefined],
    ]);
  });
});

Deno.test("ollama prepare turns a pull error into a ServerError (stand-in ollama)", async () => {
  const { server } = ollamaStandIn([], [{ status: "pulling manifest" }, {
    error: "pull model manifest: file does not exist",
  }]);
  await using _ = server;
  await assert.rejects(
    ollama.prepare!(ollama.endpoint("127.0.0.1", server.port), { fetch, model: "nope:1b" }),
    new ServerError("Cannot pull nope:1b with ollama: pull model manifest: file does not exist"),
  );
});

Deno.test("ollama identify rejects a server without /api/version (stand-in)", async () => {
  await using server = standIn(() => new Response("404 page not found", { status: 404 }));
  assert.equal(await ollama.identify(ollama.endpoint("127.0.0.1", server.port), { fetch }), undefined);
});
