/**
 * The lifecycle against the REAL mlx_lm.server (mlx on the CPU, from the cached virtual environment)
 * serving the tiny MLX model converted from the tiny GGUF. Every test ends with no process of ours
 * left, checked through /proc. `deno run -A tools/provision.ts` provisions both, as `deno task test`
 * does.
 */
import assert from "node:assert/strict";
import { ServerError } from "../../lib/errors.ts";
import { openAIModel } from "../../lib/llm/client.ts";
import {
  ensureServer,
  type ServerProgress,
  type ServerSpec,
  startServer,
} from "../../lib/server/lifecycle.ts";
import { pidAlive } from "../../lib/host/process.ts";
import { serverStatus } from "../../lib/server/server_status.ts";
import { readState, stateFilePath } from "../../lib/server/state_file.ts";
import { stopServer } from "../../lib/server/stop_server.ts";
import { mlxFor } from "./_helpers.ts";
import { abortedWhileStarting, assertNoState, assertRefusesForeignPort, serverScene } from "./_lifecycle.ts";
import { requires } from "../_tier.ts";

const MLX = requires("mlx");
const { python, model } = await mlxFor(MLX);
const MESSAGES = [{ role: "user" as const, content: "Write hello world in Python" }];

function spec(port: number, extra: Partial<ServerSpec> = {}): ServerSpec {
  return { engine: "mlx", model, host: "127.0.0.1", port, binary: python, ...extra };
}

Deno.test(
  "ensureServer() runs the real mlx_lm.server: warm-up, chat, streaming, abort, status, reuse, stop",
  MLX,
  async (t) => {
    await using scene = await serverScene({ stateGone: true });
    const { stateDir, port, spawn, pids } = scene;
    const events: ServerProgress[] = [];
    await using server = await ensureServer(spec(port), {
      stateDir,
      spawn,
      onProgress: (e) => events.push(e),
    });
    const llm = openAIModel({ baseUrl: server.baseUrl, model: server.model });
    const call = { messages: MESSAGES, temperature: 0, timeoutMs: 60_000 };

    await t.step("ready only after a one-token warm-up chat request", async () => {
      assert.equal(server.engine, "mlx");
      assert.equal(server.startedByUs, true);
      assert.equal(server.model, await Deno.realPath(model));
      assert.equal(server.baseUrl, `http://127.0.0.1:${port}/v1`);
      const kinds = events.map((e) => e.kind).filter((k) => k !== "waiting");
      assert.deepEqual(kinds, ["spawned", "preparing", "ready"]);
      assert.deepEqual(events.find((e) => e.kind === "preparing"), {
        kind: "preparing",
        message: `warming up ${server.model}`,
        percent: undefined,
      });
      const log = await Deno.readTextFile(server.logPath!);
      const argv = `-m mlx_lm.server --model ${server.model} --host 127.0.0.1 --port ${port}`;
      assert.ok(log.includes(argv), "the log starts with the command line");
      assert.match(
        log,
        /"POST \/v1\/chat\/completions HTTP\/1\.1" 200/,
        "the warm-up request was answered",
      );
      const state = await readState(stateFilePath(stateDir, port));
      assert.equal(state.kind === "valid" && state.state.pid, server.pid);
      assert.equal(state.kind === "valid" && state.state.engine, "mlx");
    });

    await t.step("a chat completion with real usage, ended by max_tokens", async () => {
      const response = await fetch(`${server.baseUrl}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: server.model, messages: MESSAGES, max_tokens: 6, temperature: 0 }),
      });
      const body = await response.json();
      assert.equal(response.status, 200);
      assert.equal(body.choices[0].finish_reason, "length");
      assert.equal(typeof body.choices[0].message.content, "string");
      assert.equal(body.usage.completion_tokens, 6);
      assert.ok(body.usage.prompt_tokens > 0);
    });

    await t.step("streaming through the model client, with the server's usage", async () => {
      const pieces: string[] = [];
      const reply = await llm.chat({ ...call, maxTokens: 8, onToken: (piece) => pieces.push(piece) });
      assert.equal(reply.finishReason, "length");
      assert.ok(pieces.length > 1, `streamed in ${pieces.length} pieces`);
      assert.equal(pieces.join(""), reply.text);
      assert.equal(reply.usage.estimated, false);
      assert.equal(reply.usage.completionTokens, 8);
      assert.ok(reply.usage.cachedTokens > 0, "the warm-up left the prompt prefix in the cache");
    });

    await t.step(
      "aborting a call in flight rejects with AbortError and leaves the server serving",
      async () => {
        const controller = new AbortController();
        let tokens = 0;
        const onToken = () => ++tokens === 3 && controller.abort();
        await assert.rejects(
          llm.chat({ ...call, maxTokens: 4_000, signal: controller.signal, onToken }),
          (error: Error) => error.name === "AbortError",
        );
        assert.ok(tokens >= 3);
        const after = await llm.chat({ ...call, maxTokens: 2 });
        assert.equal(after.usage.completionTokens, 2);
        assert.deepEqual(await server.checkHealth(), { kind: "healthy" });
      },
    );

    await t.step("serverStatus() reports engine, model, health and no slots", async () => {
      const status = await serverStatus({ stateDir });
      assert.equal(status.kind, "running");
      if (status.kind !== "running") return;
      assert.deepEqual(
        [status.engine, status.model, status.pid, status.port, status.health],
        ["mlx", server.model, server.pid, port, { kind: "ready" }],
      );
      assert.equal(status.slots, undefined, "mlx_lm.server has no slots");
    });

    await t.step("a second ensureServer() reuses it; disposing that handle stops nothing", async () => {
      {
        await using again = await ensureServer(spec(port), { stateDir, spawn });
        assert.equal(again.startedByUs, false);
        assert.equal(again.pid, server.pid);
      }
      assert.deepEqual(pids, [server.pid]);
      assert.equal(pidAlive(server.pid!), true);
    });
  },
);

Deno.test(
  "ensureServer() refuses a port served by another program for mlx, suggesting --port",
  MLX,
  () => assertRefusesForeignPort(spec, "mlx_lm.server"),
);

Deno.test(
  "ensureServer() reports an mlx_lm.server that cannot start, with its last log lines",
  MLX,
  async (t) => {
    await t.step(
      "a model that does not load: the server stays up but never serves; it is stopped",
      async () => {
        await using scene = await serverScene({ stateGone: true });
        const { stateDir, port, spawn } = scene;
        const broken = `${stateDir}/broken-model`;
        await Deno.mkdir(broken);
        await Deno.writeTextFile(`${broken}/config.json`, JSON.stringify({ model_type: "qwen2" }));
        await assert.rejects(
          ensureServer(spec(port, { model: broken }), { stateDir, spawn }),
          (error: Error) => {
            assert.ok(error instanceof ServerError);
            assert.match(error.message, /^Cannot start mlx_lm.server: .* \(log: .*mlx-\d+\.log\)\n/);
            assert.match(error.message, /No safetensors found in .*broken-model/);
            return true;
          },
        );
      },
    );
    await t.step("a Python without mlx_lm: the process exits at once", async () => {
      await using scene = await serverScene();
      const { stateDir, port, spawn } = scene;
      const bare = `${stateDir}/python-without-site`;
      await Deno.writeTextFile(bare, '#!/bin/sh\nexec python3 -S "$@"\n');
      await Deno.chmod(bare, 0o755);
      await assert.rejects(
        ensureServer(spec(port, { binary: bare }), { stateDir, spawn }),
        (error: Error) => {
          assert.ok(error instanceof ServerError);
          assert.match(
            error.message,
            /^Cannot start mlx_lm.server: it exited with code 1 before it was ready/,
          );
          assert.match(error.message, /No module named 'mlx_lm'/);
          return true;
        },
      );
    });
  },
);

Deno.test(
  "ensureServer() with mlx aborted while starting leaves no process and no state file",
  MLX,
  (t) => abortedWhileStarting(t, spec, ["spawned", "preparing"]),
);

Deno.test("startServer() leaves mlx_lm.server running; stopServer() ends it with SIGTERM", MLX, async () => {
  await using scene = await serverScene();
  const { stateDir, port } = scene;
  const server = scene.track(await startServer(spec(port), { stateDir }));
  const pid = server.pid;
  const outcome = await stopServer({ stateDir });
  assert.equal(outcome.kind, "stopped");
  if (outcome.kind !== "stopped") return;
  assert.deepEqual([outcome.engine, outcome.pid, outcome.port, outcome.signal], [
    "mlx",
    pid,
    port,
    "SIGTERM",
  ]);
  assert.equal(pidAlive(pid!), false);
  await assertNoState(stateDir, port);
  await server.stop();
});
