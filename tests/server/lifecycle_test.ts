/**
 * The lifecycle against the REAL llama-server (provisioned in the cache) and the generated tiny model.
 * Every test ends with no process of ours left, checked through /proc.
 */
import assert from "node:assert/strict";
import { ConfigError, ServerError } from "../../lib/errors.ts";
import {
  ensureServer,
  type ServerProgress,
  type ServerSpec,
  startServer,
} from "../../lib/server/lifecycle.ts";
import { pidAlive } from "../../lib/host/process.ts";
import { readState, stateFilePath } from "../../lib/server/state_file.ts";
import { engineFor, freePort } from "./_helpers.ts";
import {
  abortedWhileStarting,
  assertRefusesForeignPort,
  countingSpawn,
  llamaSpec,
  serverScene,
} from "./_lifecycle.ts";
import { requires } from "../_tier.ts";

const ENGINE = requires("llama-server", "tiny model");
const engine = await engineFor(ENGINE);
const { model } = engine;

function spec(port: number, extra: Partial<ServerSpec> = {}): ServerSpec {
  return llamaSpec(engine, port, extra);
}

Deno.test(
  "ensureServer() starts llama-server, answers a real chat completion, and stops on dispose",
  ENGINE,
  async () => {
    await using scene = await serverScene({ stateGone: true });
    const { stateDir, port } = scene;
    const events: ServerProgress[] = [];
    await using server = scene.track(
      await ensureServer(spec(port), { stateDir, onProgress: (e) => events.push(e) }),
    );
    assert.equal(server.baseUrl, `http://127.0.0.1:${port}/v1`);
    assert.equal(server.engine, "llama.cpp");
    assert.equal(server.model, await Deno.realPath(model));
    assert.equal(server.startedByUs, true);
    assert.deepEqual([events[0].kind, events.at(-1)?.kind], ["spawned", "ready"]);
    const waits = events.filter((e) => e.kind === "waiting");
    assert.ok(waits.some((e) => e.kind === "waiting" && e.logLine.includes("srv")), "log lines ride along");
    const state = await readState(stateFilePath(stateDir, port));
    assert.equal(state.kind === "valid" && state.state.pid, server.pid);
    assert.equal(state.kind === "valid" && state.state.servedModel, server.model);
    assert.ok(state.kind === "valid" && state.state.argv.includes("--cache-prompt"));

    const response = await fetch(`${server.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        messages: [{ role: "user", content: "Write hello world" }],
        max_tokens: 6,
        temperature: 0,
      }),
    });
    const body = await response.json();
    assert.equal(response.status, 200);
    assert.equal(body.choices[0].finish_reason, "length");
    assert.equal(typeof body.choices[0].message.content, "string");
    assert.ok(body.choices[0].message.content.length > 0);
    assert.equal(body.usage.completion_tokens, 6);
    assert.deepEqual(await server.checkHealth(), { kind: "healthy" });
  },
);

Deno.test(
  "ensureServer() reuses our healthy server; disposing the reusing handle stops nothing",
  ENGINE,
  async () => {
    await using scene = await serverScene();
    const { stateDir, port, spawn, pids } = scene;
    await using first = await ensureServer(spec(port), { stateDir, spawn });
    {
      await using second = await ensureServer(spec(port), { stateDir, spawn });
      assert.equal(second.startedByUs, false);
      assert.equal(second.pid, first.pid);
      assert.equal(second.baseUrl, first.baseUrl);
    }
    assert.equal(pids.length, 1);
    assert.equal(pidAlive(first.pid!), true);
    assert.deepEqual(await first.checkHealth(), { kind: "healthy" });
  },
);

Deno.test("ensureServer() refuses a port served by another program, suggesting --port", ENGINE, async () => {
  await assertRefusesForeignPort(spec, "llama-server");
});

Deno.test("ensureServer() refuses to replace our own server that serves another model", ENGINE, async () => {
  await using scene = await serverScene();
  const { stateDir, port } = scene;
  const other = `${stateDir}/other.gguf`;
  await Deno.link(model, other).catch(() => Deno.copyFile(model, other));
  await using server = scene.track(await ensureServer(spec(port), { stateDir }));
  const refused = ensureServer(spec(port, { model: other }), { stateDir });
  await assert.rejects(refused, (error: Error) => {
    assert.ok(error instanceof ServerError);
    assert.match(
      error.message,
      new RegExp(`port ${port} is served by factory's llama.cpp server with .*tiny`),
    );
    assert.match(error.message, /choose another with --port$/);
    return true;
  });
  assert.equal(pidAlive(server.pid!), true);
});

Deno.test("ensureServer() aborted while starting leaves no process and no state file", ENGINE, async (t) => {
  await abortedWhileStarting(t, spec, ["spawned", "waiting"]);
});

Deno.test(
  "ensureServer() reports a server that dies while loading, with its last log lines",
  ENGINE,
  async () => {
    await using scene = await serverScene({ stateGone: true });
    const { stateDir, port, spawn } = scene;
    const broken = `${stateDir}/broken.gguf`;
    await Deno.writeTextFile(broken, "this is not a GGUF file");
    await assert.rejects(
      ensureServer(spec(port, { model: broken }), { stateDir, spawn }),
      (error: Error) => {
        assert.ok(error instanceof ServerError);
        assert.match(
          error.message,
          /^Cannot start llama-server: it exited with code \d+ before it was ready \(log: /,
        );
        assert.match(error.message, /broken\.gguf/);
        return true;
      },
    );
  },
);

Deno.test("ensureServer() rejects a model file that does not exist before spawning", async () => {
  const { spawn, pids } = countingSpawn();
  await assert.rejects(
    ensureServer(spec(freePort(), { model: "/nonexistent/model.gguf" }), { spawn }),
    new ConfigError("Cannot use model /nonexistent/model.gguf: no such file"),
  );
  assert.deepEqual(pids, []);
});

Deno.test(
  "startServer() leaves the server running when the handle is dropped; stop() ends it",
  ENGINE,
  async () => {
    await using scene = await serverScene();
    const { stateDir, port } = scene;
    const server = scene.track(await startServer(spec(port, { contextSize: 4096 }), { stateDir }));
    assert.equal(server.startedByUs, true);
    const slots = await (await fetch(`http://127.0.0.1:${port}/slots`)).json();
    assert.deepEqual(slots.map((s: { n_ctx: number }) => s.n_ctx), [2048, 2048]);
    await server.stop();
    await server.stop();
    assert.equal(pidAlive(server.pid!), false);
  },
);

Deno.test(
  "ServerHandle.checkHealth() explains a server killed with SIGKILL, with its log",
  ENGINE,
  async () => {
    await using scene = await serverScene({ stateGone: true });
    const { stateDir, port } = scene;
    await using server = scene.track(await ensureServer(spec(port), { stateDir }));
    const pid = server.pid!;
    Deno.kill(pid, "SIGKILL");
    while (pidAlive(pid)) await new Promise((r) => setTimeout(r, 10));
    const health = await server.checkHealth();
    assert.equal(health.kind, "unhealthy");
    if (health.kind !== "unhealthy") return;
    assert.equal(health.detail, "llama-server is not running: it exited with signal SIGKILL");
    assert.match(health.logTail, /listening on http:\/\/127\.0\.0\.1/);
  },
);
