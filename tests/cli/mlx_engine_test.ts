/**
 * The CLI with `--engine mlx` against the REAL mlx_lm.server (CPU) and the tiny MLX model: server
 * start, status, reuse by `run`, a run against it with `--no-server --base-url` and no model named
 * (mlx_lm.server cannot list the directory it serves), and server stop. Needs
 * `deno run -A tools/provision.ts` first, as `deno task test` does.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertNoServerLeft, freePort, realMlx } from "../server/_helpers.ts";
import { tempDir } from "../_helpers.ts";
import { requires } from "../_tier.ts";

const MLX = requires("mlx");

async function cli(...args: string[]) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli.ts", ...args],
    stdin: "null",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code, out: decode(stdout), err: decode(stderr) };
}

async function summaryOf(out: string) {
  const runs = await Array.fromAsync(Deno.readDir(out));
  assert.equal(runs.length, 1);
  return JSON.parse(await Deno.readTextFile(join(out, runs[0].name, "summary.json")));
}

Deno.test(
  "cli with --engine mlx: server start, status, run reusing it, run --no-server --base-url, server stop",
  MLX,
  async (t) => {
    const { model } = await realMlx();
    const served = await Deno.realPath(model);
    await using dir = await tempDir();
    const config = join(dir.path, "factory.yaml");
    await Deno.writeTextFile(config, "agent:\n  max_tokens_per_turn: 48\n  llm_timeout: 60\n");
    const port = String(freePort());
    try {
      await t.step("server start warms the model up and leaves the server running", async () => {
        const start = await cli("server", "start", "--engine", "mlx", "-m", model, "--port", port);
        assert.equal(start.code, 0, start.err);
        assert.match(
          start.out,
          new RegExp(`^mlx serving ${served} at http://127.0.0.1:${port}/v1 \\(pid \\d+\\)`),
        );
        assert.match(start.err, /starting python3 \(pid \d+\)/);
        assert.match(start.err, new RegExp(`warming up ${served}`));
      });

      await t.step("server status: engine mlx, ready, and no slots line", async () => {
        const status = await cli("server", "status", "--port", port);
        assert.equal(status.code, 0, status.err);
        assert.match(status.out, /^engine\s+mlx$/m);
        assert.match(status.out, new RegExp(`^model\\s+${served}$`, "m"));
        assert.match(status.out, /^health\s+ready$/m);
        assert.doesNotMatch(status.out, /slots/);
      });

      await t.step("run reuses it and stops on its limits, with the server's real usage", async () => {
        const out = join(dir.path, "reuse");
        const args = ["print hello world", "--engine", "mlx", "-m", model, "-n", "2", "--port", port];
        const run = await cli("run", ...args, "--config", config, "--out", out);
        assert.equal(run.code, 1, run.err);
        assert.match(run.err, /reusing the running server/);
        assert.doesNotMatch(run.err, /starting python3/);
        const summary = await summaryOf(out);
        assert.deepEqual([summary.status, summary.attempts, summary.stopReason], [
          "failed",
          2,
          "max_attempts",
        ]);
        assert.equal(summary.tokens.estimated, false, "mlx_lm.server reports usage in its streams");
        assert.ok(summary.tokens.completion >= 2 * 48, "each Coder turn used its max_tokens");
      });

      await t.step("run --no-server --base-url with no model named sends the served model", async () => {
        const out = join(dir.path, "no-server");
        const baseUrl = `http://127.0.0.1:${port}/v1`;
        const args = ["print hello world", "--no-server", "--base-url", baseUrl, "-n", "1"];
        const run = await cli("run", ...args, "--config", config, "--out", out);
        assert.equal(run.code, 1, run.err);
        assert.match(run.err, new RegExp(`model server ${baseUrl} · model ${served}`));
        const summary = await summaryOf(out);
        assert.deepEqual([summary.status, summary.attempts, summary.tokens.estimated], ["failed", 1, false]);
      });
    } finally {
      const stop = await cli("server", "stop", "--port", port);
      assert.equal(stop.code, 0, stop.err);
      assert.match(stop.out, new RegExp(`stopped mlx \\(pid \\d+, port ${port}\\) with SIGTERM`));
    }
    const after = await cli("server", "status", "--port", port);
    assert.equal(after.code, 1);
    assert.match(after.out, /no factory server is running/);
    assertNoServerLeft(Number(port));
  },
);

Deno.test(
  "cli engine info --engine mlx shows the cached environment and its pinned versions",
  MLX,
  async (t) => {
    const { python } = await realMlx();
    await t.step("info", async () => {
      const info = await cli("engine", "info", "--engine", "mlx");
      assert.equal(info.code, 0, info.err);
      assert.match(info.out, new RegExp(`^mlx_lm.server: ${python} -m mlx_lm.server \\(cache\\)$`, "m"));
      assert.match(
        info.out,
        /^versions: mlx 0\.32\.4, .*mlx-lm 0\.32\.2, tokenizers 0\.23\.3, transformers 5\.25\.0$/m,
      );
    });
    await t.step("install finds it and makes nothing", async () => {
      const install = await cli("engine", "install", "--engine", "mlx");
      assert.equal(install.code, 0, install.err);
      assert.match(install.out, new RegExp(`^mlx_lm.server ready: ${python} -m mlx_lm.server`));
      assert.equal(install.err, "", "no progress: nothing was installed");
    });
    await t.step("an engine that has nothing to install is a usage error", async () => {
      const bad = await cli("engine", "info", "--engine", "ollama");
      assert.equal(bad.code, 2);
      assert.match(bad.err, /--engine: expected llama.cpp or mlx, got "ollama"/);
    });
  },
);
