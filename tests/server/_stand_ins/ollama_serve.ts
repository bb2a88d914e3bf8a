/**
 * A stand-in for `ollama serve`, run as a real process by the lifecycle tests (ollama is not installed
 * here). It listens on `OLLAMA_HOST`, answers `/api/version` and `/api/tags`, streams `/api/pull`
 * progress as NDJSON the way ollama does, and serves `/v1/chat/completions` for pulled models.
 */

const [hostname, port] = (Deno.env.get("OLLAMA_HOST") ?? "127.0.0.1:11434").split(":");
const pulled = new Set((Deno.env.get("STAND_IN_MODELS") ?? "").split(",").filter((m) => m !== ""));

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function pull(model: string): Response {
  const total = 4_000;
  const events = [
    { status: "pulling manifest" },
    ...[0, 1_000, 2_500, 4_000].map((completed) => ({
      status: "pulling 6a0746a1ec1a",
      digest: "sha256:6a07",
      total,
      completed,
    })),
    { status: "verifying sha256 digest" },
    { status: "writing manifest" },
    { status: "success" },
  ];
  pulled.add(model);
  const body = events.map((e) => JSON.stringify(e) + "\n").join("");
  return new Response(body, { headers: { "content-type": "application/x-ndjson" } });
}

Deno.serve({ hostname, port: Number(port), onListen: () => {} }, async (req) => {
  const path = new URL(req.url).pathname;
  if (path === "/") return new Response("Ollama is running");
  if (path === "/api/version") return json({ version: "0.12.0" });
  if (path === "/api/tags") {
    return json({ models: [...pulled].map((name) => ({ name, model: name, size: 986_000_000 })) });
  }
  if (path === "/api/pull" && req.method === "POST") {
    const body = await req.json();
    console.log(`pull: ${JSON.stringify(body)}`);
    if (String(body.model).startsWith("missing")) {
      return new Response(JSON.stringify({ error: "pull model manifest: file does not exist" }) + "\n");
    }
    return pull(body.model);
  }
  if (path === "/v1/models") {
    return json({ object: "list", data: [...pulled].map((id) => ({ id, object: "model" })) });
  }
  return new Response("404 page not found", { status: 404 });
});
console.log(`stand-in ollama serve on ${hostname}:${port}, parallel ${Deno.env.get("OLLAMA_NUM_PARALLEL")}`);
