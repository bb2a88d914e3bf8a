/** `factory server start|status|logs|stop` through the CLI, with the real llama-server and the tiny model. */
import assert from "node:assert/strict";
import { assertNoServerLeft, freePort, realEngine } from "../server/_helpers.ts";
import { requires } from "../_tier.ts";

const ENGINE = requires("llama-server", "tiny model");

async function cli(...args: string[]) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli.ts", ...args],
    stdin: "null",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code, out: decode(stdout), err: decode(stderr) };
}

Deno.test("cli server start, status, logs and stop manage one real llama-server", ENGINE, async () => {
  const { model } = await realEngine();
  const port = String(freePort());
  try {
    const start = await cli("server", "start", "-m", model, "--port", port);
    assert.equal(start.code, 0, start.err);
    assert.match(
      start.out,
      new RegExp(`llama.cpp serving .*tiny-qwen2.gguf at http://127.0.0.1:${port}/v1 \\(pid \\d+\\)`),
    );
    assert.match(
      start.out,
      /^speculative ngram \(ngram-mod, n-match 24, n-min 48, n-max 64\)$/m,
      "auto = ngram",
    );
    const again = await cli("server", "start", "-m", model, "--port", port);
    assert.equal(again.code, 0, again.err);
    assert.match(again.err, /reusing the running server/);
    const status = await cli("server", "status", "--port", port);
    assert.equal(status.code, 0, status.err);
    assert.match(status.out, /health\s+ready/);
    assert.match(status.out, /speculative\s+ngram \(ngram-mod, .*\), active in the slots/);
    assert.match(
      status.out,
      /slots\s+0:idle\/8192 1:idle\/8192 \(runs pin the Coder to slot 0, the Sheriff to slot 1\)/,
    );
    const other = await cli("server", "start", "-m", model, "--port", port, "--speculative", "off");
    assert.equal(other.code, 3, "an explicit, different mode does not reuse it");
    assert.match(
      other.err,
      /^error: Cannot reuse llama-server on port \d+: it runs with speculative decoding ngram/,
    );
    const logs = await cli("server", "logs", "--port", port, "--lines", "5");
    assert.match(logs.out, /listening on/);
  } finally {
    const stop = await cli("server", "stop", "--port", port);
    assert.equal(stop.code, 0, stop.err);
    assert.match(stop.out, /stopped llama.cpp/);
  }
  const after = await cli("server", "status", "--port", port);
  assert.equal(after.code, 1);
  assert.match(after.out, /no factory server is running/);
  assertNoServerLeft(Number(port));
});

Deno.test("cli server: a port served by another program is a clear error, exit 3", ENGINE, async () => {
  const { model } = await realEngine();
  await using other = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => new Response("hi"));
  const port = String(other.addr.port);
  const start = await cli("server", "start", "-m", model, "--port", port);
  assert.equal(start.code, 3);
  assert.match(start.err, new RegExp(`port ${port} is served by another program.*--port`));
  assertNoServerLeft(Number(port));
});

Deno.test("cli server: bad action, bad port and unknown speculative mode are usage errors", async () => {
  assert.equal((await cli("server", "restart")).code, 2);
  const bogus = await cli("server", "start", "--speculative", "bogus");
  assert.equal(bogus.code, 2);
  assert.equal(
    bogus.err,
    'error: Invalid flag: --speculative: expected one of auto, off, ngram, draft, got "bogus"\n',
    "one line",
  );
  const bad = await cli("server", "status", "--port", "70000");
  assert.equal(bad.code, 2);
  assert.match(bad.err, /port/);
});
