/**
 * Helpers for the server tests: free ports, process checks through /proc, the real llama-server,
 * mlx_lm.server and tiny models from the cache, and stand-in HTTP servers.
 */
import assert from "node:assert/strict";
import { findLlamaServer } from "../../lib/server/llama_cache.ts";
import { findMlxPython } from "../../lib/server/mlx_venv.ts";
import { commandLine, spawnServer } from "../../lib/server/process_group.ts";
import { pidAlive } from "../../lib/host/process.ts";
import { ensureTinyMlxModel } from "../../lib/server/tiny_mlx_model.ts";
import { ensureTinyModel } from "../../lib/server/tiny_model.ts";

/** A port nothing listens on right now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Pids of live processes whose command line contains every given piece (read from /proc). */
export function processesMatching(...pieces: string[]): number[] {
  const pids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const pid = Number(entry.name);
    if (pid === Deno.pid) continue;
    let cmdline: string;
    try {
      cmdline = Deno.readTextFileSync(`/proc/${pid}/cmdline`).replaceAll("\0", " ");
    } catch {
      continue;
    }
    if (pieces.every((piece) => cmdline.includes(piece)) && pidAlive(pid)) pids.push(pid);
  }
  return pids;
}

/** Asserts that no process of ours is left: the pid is gone and nothing runs with `--port <port>`. */
export function assertNoServerLeft(port: number, pid?: number): void {
  if (pid !== undefined) assert.equal(pidAlive(pid), false, `pid ${pid} is still alive`);
  if (pid !== undefined) assert.equal(existsSync(`/proc/${pid}/cmdline`) && pidAlive(pid), false);
  assert.deepEqual(processesMatching("--port", String(port)), [], `a process still serves port ${port}`);
}

function existsSync(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The real llama-server and tiny model; fails with the fix when they are not provisioned. */
export async function realEngine(): Promise<{ binary: string; model: string }> {
  const found = await findLlamaServer();
  if (found.kind !== "found") {
    throw new Error(`No llama-server (${found.reason}): run \`deno run -A tools/provision.ts\` first`);
  }
  return { binary: found.path, model: await ensureTinyModel() };
}

/**
 * The real llama-server and tiny model for a file whose engine tests are marked with `tier`; under
 * test:fast, where those tests are ignored, paths that do not exist, so the file loads and its other
 * tests (which only record the paths) run.
 */
export async function engineFor(tier: { ignore: boolean }): Promise<{ binary: string; model: string }> {
  if (tier.ignore) return { binary: "/nonexistent/llama-server", model: "/nonexistent/tiny.gguf" };
  return await realEngine();
}

/** factory's pinned mlx environment and the tiny MLX model; fails with the fix when not provisioned. */
export async function realMlx(): Promise<{ python: string; model: string }> {
  const found = await findMlxPython({ searchPath: false });
  if (found.kind !== "found") {
    throw new Error(`No Python with mlx_lm (${found.reason}): run \`deno run -A tools/provision.ts\` first`);
  }
  return { python: found.python, model: await ensureTinyMlxModel({ python: found.python }) };
}

/** Like {@linkcode engineFor}, for the mlx_lm environment and the tiny MLX model. */
export async function mlxFor(tier: { ignore: boolean }): Promise<{ python: string; model: string }> {
  if (tier.ignore) return { python: "/nonexistent/python3", model: "/nonexistent/tiny-mlx" };
  return await realMlx();
}

/** A stand-in HTTP server on a free port; `await using` shuts it down. */
export function standIn(handler: Deno.ServeHandler): { port: number; origin: string } & AsyncDisposable {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
  const port = server.addr.port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

/** A JSON response. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** Spawns a short-lived program and returns its pid once it has exited and been reaped. */
export async function deadPid(): Promise<number> {
  const child = new Deno.Command("true", { stdout: "null", stderr: "null" }).spawn();
  await child.status;
  return child.pid;
}

/** Spawns `sleep 300` as a group leader (standing for "another program") and waits until it runs. */
export async function otherProgram(logPath: string) {
  const process = spawnServer({ argv: ["sleep", "300"], logPath });
  while ((await commandLine(process.pid))?.[0] !== "sleep") await new Promise((r) => setTimeout(r, 5));
  return process;
}
