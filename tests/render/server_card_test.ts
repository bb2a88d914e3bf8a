import assert from "node:assert/strict";
import { serverBundle } from "../../lib/render/server_card.ts";

Deno.test("serverBundle() describes the server without its full path, escaped", () => {
  const b = serverBundle({
    baseUrl: "http://127.0.0.1:8080/v1",
    model: "/home/me/.cache/factory/models/<odd>.gguf",
    engine: "llama.cpp",
    pid: 4242,
    startedByUs: false,
  });
  assert.match(b["text/html"], /<code>&lt;odd&gt;\.gguf<\/code>/);
  assert.doesNotMatch(b["text/html"], /\/home\/me/);
  assert.equal(
    b["text/plain"],
    "model server ready: llama.cpp · <odd>.gguf · http://127.0.0.1:8080/v1 · reused (left running)",
  );
  assert.match(b["text/html"], /pid 4242/);
});

Deno.test("serverBundle() says which speculative decoding the server runs with, when known", () => {
  const b = serverBundle({
    baseUrl: "http://127.0.0.1:8080/v1",
    model: "/m/coder.gguf",
    engine: "llama.cpp",
    startedByUs: true,
    speculative: "ngram (ngram-mod, n-match 24)",
  });
  assert.equal(
    b["text/plain"],
    "model server ready: llama.cpp · coder.gguf · http://127.0.0.1:8080/v1 · started by this notebook · " +
      "speculative ngram (ngram-mod, n-match 24)",
  );
  assert.match(b["text/html"], /speculative ngram \(ngram-mod, n-match 24\)/);
});
