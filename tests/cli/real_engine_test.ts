/**
 * The CLI against the real llama-server and the generated tiny model (random weights: it writes
 * nonsense, fast). Needs `deno run -A tools/provision.ts` first, as `.ci/run` does.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startServer } from "../../lib/server/lifecycle.ts";
import { stopServer } from "../../lib/server/stop_server.ts";
import { assertNoServerLeft, freePort, realEngine } from "../server/_helpers.ts";
import { tempDir } from "../_helpers.ts";
import { requires } from "../_tier.ts";

const ENGINE = requires("llama-server", "tiny model");

async function configFile(dir: string, maxTokens: number): Promise<string> {
  const path = join(dir, "factory.yaml");
  await Deno.writeTextFile(path, `agent:\n  max_tokens_per_turn: ${maxTokens}\n  llm_timeout: 60\n`);
  return path;
}

function cli(args: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli.ts", ...args],
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  });
}

/**
 * The tiny model, a free port, and a temporary directory holding a config file with `maxTokens` per
 * turn; `args` point a `run` at all three, with its runs in `out`. Disposing it removes the directory.
 */
async function engineScene(maxTokens: number) {
  const { model } = await realEngine();
  const dir = await tempDir();
  const config = await configFile(dir.path, maxTokens).catch(async (error) => {
    await dir[Symbol.asyncDispose]();
    throw error;
  });
  const port = freePort();
  const out = join(dir.path, "runs");
  const args = ["-m", model, "--port", String(port), "--config", config, "--out", out];
  return { model, port, out, args, [Symbol.asyncDispose]: () => dir[Symbol.asyncDispose]() };
}

async function onlyRun(out: string): Promise<string> {
  const runs = await Array.fromAsync(Deno.readDir(out));
  assert.equal(runs.length, 1);
  return join(out, runs[0].name);
}

Deno.test(
  "cli run starts the real llama-server, stops on its limits, and stops the server",
  ENGINE,
  async () => {
    await using scene = await engineScene(48);
    const { port, out } = scene;
    const { code, stderr } = await cli(["run", "print hello world", ...scene.args, "-n", "2"]).output();
    const err = new TextDecoder().decode(stderr);
    assert.equal(code, 1, err);
    assert.match(err, /starting llama-server/);
    const run = await onlyRun(out);
    const summary = JSON.parse(await Deno.readTextFile(join(run, "summary.json")));
    assert.equal(summary.status, "failed");
    assert.equal(summary.attempts, 2);
    assert.equal(summary.stopReason, "max_attempts");
    assert.equal(summary.tokens.estimated, false, "llama-server reports real usage");
    assert.ok(summary.tokens.completion >= 2 * 48, "each Coder turn used its max_tokens");
    const calls = (await Deno.readTextFile(join(run, "transcript.jsonl"))).trim().split("\n")
      .map((l) => JSON.parse(l)).filter((e) => e.kind === "model_call");
    assert.ok(calls.length >= 2);
    assert.equal(calls[0].reply.finishReason, "length", "the tiny model never stops by itself");
    assert.ok(calls[1].reply.usage.cachedTokens > 0, "the retry reuses the cached prompt prefix");
    assertNoServerLeft(port);
  },
);

Deno.test(
  "cli run exits 3 with a clear error when the server is killed during a Coder turn",
  ENGINE,
  async () => {
    await using scene = await engineScene(4000);
    const { model, port, out } = scene;
    const server = await startServer({ engine: "llama.cpp", model, host: "127.0.0.1", port });
    try {
      const child = cli(["run", "print hello world", ...scene.args, "--json"]).spawn();
      const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      let seen = "";
      while (!seen.includes('"coder_token"')) {
        const { value, done } = await lines.read();
        if (done) break;
        seen += value;
      }
      Deno.kill(server.pid!, "SIGKILL");
      while (!(await lines.read()).done);
      const status = await child.status;
      const err = await new Response(child.stderr).text();
      assert.equal(status.code, 3, err);
      assert.match(err, /error: .*(connection|server)/i);
      assert.match(err, /SIGKILL|not running|exited/);
      const run = await onlyRun(out);
      const summary = JSON.parse(await Deno.readTextFile(join(run, "summary.json")));
      assert.equal(summary.status, "error");
      assert.equal(summary.stopReason, "model_error");
      const last = (await Deno.readTextFile(join(run, "transcript.jsonl"))).trim().split("\n").at(-1)!;
      assert.equal(JSON.parse(last).kind, "stop");
    } finally {
      await server.stop();
      await stopServer({ port });
    }
    assertNoServerLeft(port, server.pid);
  },
);
