import assert from "node:assert/strict";
import { isLocalModel, llamaCpp, llamaCppArgv } from "../../../lib/server/engines/llama_cpp.ts";
import { json, standIn } from "../_helpers.ts";

const SPEC = { program: "/bin/llama-server", host: "127.0.0.1", port: 8080, contextSize: 8192, parallel: 2 };

Deno.test("llamaCppArgv() runs two slots with prompt caching, -m for files and -hf for repos", async (t) => {
  await t.step("a GGUF file", () => {
    assert.deepEqual(llamaCppArgv({ ...SPEC, model: "/m/tiny.gguf" }), [
      "/bin/llama-server",
      "-m",
      "/m/tiny.gguf",
      "--host",
      "127.0.0.1",
      "--port",
      "8080",
      "-c",
      "8192",
      "-np",
      "2",
      "--cache-prompt",
      "--slots",
    ]);
  });
  await t.step("a Hugging Face repo", () => {
    const argv = llamaCppArgv({ ...SPEC, model: "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF:Q4_K_M" });
    assert.deepEqual(argv.slice(1, 3), ["-hf", "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF:Q4_K_M"]);
  });
  await t.step("isLocalModel()", () => {
    assert.equal(isLocalModel("./m.gguf"), true);
    assert.equal(isLocalModel("/abs/model"), true);
    assert.equal(isLocalModel("org/repo"), false);
  });
});

Deno.test("llamaCpp probe and identify follow llama-server's protocol (stand-in)", async (t) => {
  let loading = true;
  await using server = standIn((req) => {
    if (loading) {
      return json({ error: { message: "Loading model", type: "unavailable_error", code: 503 } }, 503, {
        server: "llama.cpp",
      });
    }
    const path = new URL(req.url).pathname;
    if (path === "/health") return json({ status: "ok" }, 200, { server: "llama.cpp" });
    if (path === "/props") {
      return json({ model_path: "/m/tiny.gguf", total_slots: 2, build_info: "b1-de3ff81" });
    }
    if (path === "/slots") return json([{ id: 0, n_ctx: 4096, is_processing: true }, { id: 1, n_ctx: 4096 }]);
    return json({}, 404);
  });
  const endpoint = llamaCpp.endpoint("127.0.0.1", server.port);
  const options = { fetch };
  await t.step("503 while loading: loading, identified by the Server header", async () => {
    assert.deepEqual(await llamaCpp.probe(endpoint, options), { kind: "loading", detail: "Loading model" });
    assert.deepEqual(await llamaCpp.identify(endpoint, options), {
      engine: "llama.cpp",
      detail: "llama.cpp",
    });
  });
  await t.step("200 once loaded: ready, identified with the model path, slots listed", async () => {
    loading = false;
    assert.deepEqual(await llamaCpp.probe(endpoint, options), { kind: "ready" });
    const identity = await llamaCpp.identify(endpoint, options);
    assert.deepEqual(identity, { engine: "llama.cpp", model: "/m/tiny.gguf", detail: "b1-de3ff81" });
    assert.equal(llamaCpp.servesModel(identity!, "/m/tiny.gguf"), true);
    assert.equal(llamaCpp.servesModel(identity!, "/m/other.gguf"), false);
    assert.deepEqual(await llamaCpp.slots!(endpoint, options), [
      { id: 0, contextSize: 4096, busy: true },
      { id: 1, contextSize: 4096, busy: false },
    ]);
  });
  await t.step("nothing listening: down", async () => {
    const probe = await llamaCpp.probe(llamaCpp.endpoint("127.0.0.1", 1), options);
    assert.equal(probe.kind, "down");
  });
});

Deno.test("llamaCpp identify does not claim a foreign HTTP server", async () => {
  await using server = standIn(() => new Response("<html>hello</html>", { headers: { server: "nginx" } }));
  assert.equal(await llamaCpp.identify(llamaCpp.endpoint("127.0.0.1", server.port), { fetch }), undefined);
});

Deno.test("llamaCpp servesModel() matches a Hugging Face repo against its cached file", () => {
  const identity = {
    engine: "llama.cpp" as const,
    model:
      "/root/.cache/llama.cpp/Qwen_Qwen2.5-Coder-1.5B-Instruct-GGUF_qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
  };
  assert.equal(llamaCpp.servesModel(identity, "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF:Q4_K_M"), true);
  assert.equal(llamaCpp.servesModel(identity, "Qwen/Qwen2.5-Coder-7B-Instruct-GGUF:Q4_K_M"), false);
});
