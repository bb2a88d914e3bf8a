import assert from "node:assert/strict";
import { endpointFromBaseUrl, openai } from "../../../lib/server/engines/openai.ts";
import { json, standIn } from "../_helpers.ts";

Deno.test("endpointFromBaseUrl() keeps the base URL and strips /v1 for the origin", () => {
  assert.deepEqual(endpointFromBaseUrl("http://gpu:8000/v1/"), {
    api: "http://gpu:8000/v1",
    origin: "http://gpu:8000",
  });
  assert.deepEqual(endpointFromBaseUrl("https://x/openai"), {
    api: "https://x/openai",
    origin: "https://x/openai",
  });
});

Deno.test("openai has no lifecycle and checks GET /models (stand-in vLLM)", async (t) => {
  let status = 200;
  await using server = standIn(() =>
    status === 200
      ? json({ object: "list", data: [{ id: "Qwen/Qwen2.5-Coder-7B" }, { id: "other" }] })
      : json({}, status)
  );
  const endpoint = endpointFromBaseUrl(`${server.origin}/v1`);
  assert.equal(
    openai.launch({ program: "", model: "m", host: "h", port: 1, contextSize: 1, parallel: 1 }),
    undefined,
  );
  await t.step("ready and identified with its models", async () => {
    assert.deepEqual(await openai.probe(endpoint, { fetch }), { kind: "ready" });
    const identity = await openai.identify(endpoint, { fetch });
    assert.equal(identity?.model, "Qwen/Qwen2.5-Coder-7B");
    assert.equal(openai.servesModel(identity!, "other"), true);
    assert.equal(openai.servesModel(identity!, "missing"), false);
  });
  await t.step("401 says an API key is wanted", async () => {
    status = 401;
    assert.deepEqual(await openai.probe(endpoint, { fetch }), {
      kind: "down",
      detail: "HTTP 401 from /models (the server wants an API key)",
    });
  });
});
