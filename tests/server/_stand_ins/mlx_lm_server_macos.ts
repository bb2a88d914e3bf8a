/**
 * A stand-in for `python3 -m mlx_lm.server` on a Mac, for the one thing these Linux machines cannot
 * show: that `engine: auto` picks mlx on Apple Silicon and starts it. Everything else about mlx runs
 * against the REAL mlx_lm.server (CPU) in lifecycle_mlx_test.ts and tests/cli/mlx_engine_test.ts.
 *
 * It speaks mlx_lm.server's protocol: `/health` answers `{"status": "ok"}` at once, before the model is
 * loaded; the first chat request "loads the model" (a pause) and then answers; `/v1/models` lists the
 * model. Every request is logged to stdout, which the lifecycle sends to the log file.
 *
 * Arguments: the real ones (`-m mlx_lm.server --model M --host H --port P`), possibly after others.
 */

const args = Deno.args;
const option = (name: string) => args[args.indexOf(name) + 1];
const model = option("--model");
const loadMs = Number(Deno.env.get("STAND_IN_LOAD_MS") ?? "300");
let loaded: Promise<void> | undefined;

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

Deno.serve(
  { hostname: option("--host"), port: Number(option("--port")), onListen: () => {} },
  async (req) => {
    const path = new URL(req.url).pathname;
    if (req.method === "GET" && path === "/health") return json({ status: "ok" });
    if (req.method === "GET" && path.startsWith("/v1/models")) {
      return json({ object: "list", data: [{ id: model, object: "model", created: 0 }] });
    }
    if (req.method === "POST" && path === "/v1/chat/completions") {
      const body = await req.json();
      console.log(`chat: ${JSON.stringify(body)}`);
      loaded ??= new Promise((resolve) => setTimeout(resolve, loadMs));
      await loaded;
      return json({
        id: "chatcmpl-1",
        object: "chat.completion",
        model,
        choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "length" }],
        usage: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 },
      });
    }
    return new Response("Not Found", { status: 404 });
  },
);
console.log(`stand-in mlx_lm.server serving ${model}`);
