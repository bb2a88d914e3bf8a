/**
 * What cannot run on these Linux machines, against stand-in processes and servers that speak the real
 * protocols: mlx's automatic choice (it needs macOS on Apple Silicon; the real mlx_lm.server is tested
 * in lifecycle_mlx_test.ts) and ollama (not installed). The stand-ins run as real processes, so
 * spawning, readiness, reuse and stopping are exercised for real.
 */
import assert from "node:assert/strict";
import { ConfigError, ServerError } from "../../lib/errors.ts";
import { ensureServer, portAnswers, type ServerProgress, startServer } from "../../lib/server/lifecycle.ts";
import { pidAlive } from "../../lib/host/process.ts";
import { resolveEngine } from "../../lib/server/engines/select.ts";
import type { EngineChoice } from "../../lib/types.ts";
import { freePort, json, standIn } from "./_helpers.ts";
import { countingSpawn } from "./_lifecycle.ts";

/** Writes an executable that runs a stand-in script with Deno, passing its arguments on. */
async function fakeProgram(dir: string, name: string, standInFile: string): Promise<string> {
  const script = new URL(`./_stand_ins/${standInFile}`, import.meta.url).pathname;
  const path = `${dir}/${name}`;
  await Deno.writeTextFile(
    path,
    `#!/bin/sh\nexec "${Deno.execPath()}" run --allow-net --allow-env "${script}" "$@"\n`,
  );
  await Deno.chmod(path, 0o755);
  return path;
}

Deno.test("ensureServer() with engine auto on Apple Silicon starts mlx_lm.server and warms it up (macOS stand-in)", async () => {
  const stateDir = await Deno.makeTempDir();
  const port = freePort();
  const python = await fakeProgram(stateDir, "python3", "mlx_lm_server_macos.ts");
  const model = "mlx-community/Qwen2.5-Coder-7B-Instruct-4bit";
  const { spawn, pids } = countingSpawn();
  const events: ServerProgress[] = [];
  const appleSilicon = (choice: EngineChoice) =>
    resolveEngine(choice, { os: "darwin", arch: "aarch64", canImportMlx: () => Promise.resolve(true) });
  const spec = { engine: "auto" as const, model, binary: python, host: "127.0.0.1", port };
  try {
    {
      const options = { stateDir, spawn, resolveEngine: appleSilicon };
      await using server = await ensureServer(spec, { ...options, onProgress: (e) => events.push(e) });
      assert.equal(server.engine, "mlx");
      assert.equal(server.startedByUs, true);
      assert.deepEqual(events.map((e) => e.kind).filter((k) => k !== "waiting"), [
        "spawned",
        "preparing",
        "ready",
      ]);
      const log = await Deno.readTextFile(server.logPath!);
      assert.match(
        log,
        new RegExp(`python3 -m mlx_lm.server --model ${model} --host 127.0.0.1 --port ${port}`),
      );
      assert.match(log, /chat: .*"max_tokens":1,"temperature":0/);
      {
        await using again = await ensureServer(spec, options);
        assert.equal(again.startedByUs, false);
        assert.equal(again.pid, server.pid);
      }
      assert.equal(pids.length, 1);
    }
    assert.equal(pidAlive(pids[0]), false);
    assert.equal(await portAnswers("127.0.0.1", port), false);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("ensureServer() with ollama starts ollama serve and pulls the model with progress (stand-in ollama process)", async () => {
  const stateDir = await Deno.makeTempDir();
  const port = freePort();
  const ollama = await fakeProgram(stateDir, "ollama", "ollama_serve.ts");
  const { spawn, pids } = countingSpawn();
  const percents: (number | undefined)[] = [];
  const onProgress = (e: ServerProgress) => e.kind === "preparing" && percents.push(e.percent);
  try {
    {
      await using server = await ensureServer(
        { engine: "ollama", model: "qwen2.5-coder:1.5b", binary: ollama, host: "127.0.0.1", port },
        { stateDir, spawn, onProgress },
      );
      assert.equal(server.baseUrl, `http://127.0.0.1:${port}/v1`);
      assert.deepEqual(percents.filter((p) => p !== undefined), [0, 25, 62, 100]);
      const log = await Deno.readTextFile(server.logPath!);
      assert.match(log, new RegExp(`stand-in ollama serve on 127.0.0.1:${port}, parallel 2`));
      assert.match(log, /pull: \{"model":"qwen2.5-coder:1.5b","stream":true\}/);
    }
    assert.equal(pidAlive(pids[0]), false);
    assert.equal(await portAnswers("127.0.0.1", port), false);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("ensureServer() uses an ollama it did not start and never stops it (stand-in ollama)", async () => {
  const stateDir = await Deno.makeTempDir();
  const requests: string[] = [];
  await using running = standIn((req) => {
    requests.push(new URL(req.url).pathname);
    if (req.url.endsWith("/api/version")) return json({ version: "0.12.0" });
    if (req.url.endsWith("/api/tags")) return json({ models: [{ name: "qwen2.5-coder:1.5b" }] });
    return new Response("404 page not found", { status: 404 });
  });
  const { spawn, pids } = countingSpawn();
  try {
    const spec = {
      engine: "ollama" as const,
      model: "qwen2.5-coder:1.5b",
      host: "127.0.0.1",
      port: running.port,
    };
    await using server = await ensureServer(spec, { stateDir, spawn });
    assert.equal(server.startedByUs, false);
    assert.equal(server.pid, undefined);
    assert.deepEqual(pids, []);
    assert.ok(!requests.includes("/api/pull"));
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("ensureServer() with openai only checks the URL (stand-in vLLM)", async (t) => {
  await using vllm = standIn(() => json({ object: "list", data: [{ id: "Qwen/Qwen2.5-Coder-32B" }] }));
  const base = { engine: "openai" as const, host: "", port: 0, baseUrl: `${vllm.origin}/v1` };
  await t.step("the listed model by default; a borrowed handle", async () => {
    await using server = await ensureServer(base);
    assert.equal(server.model, "Qwen/Qwen2.5-Coder-32B");
    assert.equal(server.baseUrl, `${vllm.origin}/v1`);
    assert.equal(server.startedByUs, false);
  });
  await t.step("a model the server does not list", async () => {
    await assert.rejects(
      ensureServer({ ...base, model: "gpt-4" }),
      new ServerError(`Cannot use model gpt-4 at ${vllm.origin}/v1: the server lists Qwen/Qwen2.5-Coder-32B`),
    );
  });
  await t.step("nothing listening", async () => {
    await assert.rejects(
      ensureServer({ ...base, baseUrl: `http://127.0.0.1:${freePort()}/v1` }),
      (error: Error) => {
        assert.ok(error instanceof ServerError);
        assert.match(error.message, /^Cannot reach the model server at http:\/\/127\.0\.0\.1:\d+\/v1: /);
        return true;
      },
    );
  });
  await t.step("startServer() has nothing to start", async () => {
    await assert.rejects(startServer(base), ConfigError);
  });
});
