/**
 * Shared set-up of the lifecycle tests (real llama-server, real mlx_lm.server, status and stop): a
 * scene of state directory, free port and spawned pids that checks on disposal that no server of ours
 * is left, the spawner that counts, the specs, recorded state files, and the checks both engines share.
 */
import assert from "node:assert/strict";
import { ServerError } from "../../lib/errors.ts";
import { ensureServer, type ServerProgress, type ServerSpec } from "../../lib/server/lifecycle.ts";
import { type SpawnServer, spawnServer } from "../../lib/server/process_group.ts";
import { readState, type ServerState, stateFilePath } from "../../lib/server/state_file.ts";
import { tempDir } from "../_helpers.ts";
import { assertNoServerLeft, freePort, standIn } from "./_helpers.ts";

/** A spawner that remembers what it spawned. */
export function countingSpawn(): { spawn: SpawnServer; pids: number[] } {
  const pids: number[] = [];
  return {
    pids,
    spawn: (request) => {
      const process = spawnServer(request);
      pids.push(process.pid);
      return process;
    },
  };
}

/** A temporary state directory, a free port, and the pids of the servers a test started there. */
export interface ServerScene extends AsyncDisposable {
  readonly stateDir: string;
  readonly port: number;
  /** Spawns like the default spawner and records the pid in {@linkcode pids}. */
  readonly spawn: SpawnServer;
  /** Pids spawned through {@linkcode spawn} or {@linkcode track}ed, in order. */
  readonly pids: number[];
  /** Records the pid of a server started with the default spawner; returns the server. */
  track<T extends { readonly pid?: number }>(server: T): T;
}

/**
 * A fresh {@linkcode ServerScene}. Disposing it asserts that no server of ours is left (the first pid
 * and anything serving the port), with `stateGone` that the port's state file is gone too, and then
 * removes the state directory.
 */
export async function serverScene(options: { stateGone?: boolean } = {}): Promise<ServerScene> {
  const dir = await tempDir();
  const port = freePort();
  const { spawn, pids } = countingSpawn();
  return {
    stateDir: dir.path,
    port,
    spawn,
    pids,
    track: (server) => {
      if (server.pid !== undefined) pids.push(server.pid);
      return server;
    },
    [Symbol.asyncDispose]: async () => {
      try {
        assertNoServerLeft(port, pids[0]);
        if (options.stateGone) await assertNoState(dir.path, port);
      } finally {
        await dir[Symbol.asyncDispose]();
      }
    },
  };
}

/** Asserts that `stateDir` holds no state file for `port`. */
export async function assertNoState(stateDir: string, port: number): Promise<void> {
  assert.deepEqual(await readState(stateFilePath(stateDir, port)), { kind: "absent" });
}

/** The spec of the real llama-server with `binary` and `model` on 127.0.0.1:`port`. */
export function llamaSpec(
  engine: { binary: string; model: string },
  port: number,
  extra: Partial<ServerSpec> = {},
): ServerSpec {
  return {
    engine: "llama.cpp",
    model: engine.model,
    host: "127.0.0.1",
    port,
    binary: engine.binary,
    ...extra,
  };
}

/** A state file as lifecycle writes it for llama-server, for a server that is not really there. */
export function recordedState(
  engine: { binary: string; model: string },
  at: { port: number; pid: number; stateDir: string },
  extra: Partial<ServerState> = {},
): ServerState {
  const { port, pid, stateDir } = at;
  return {
    version: 1,
    engine: "llama.cpp",
    model: engine.model,
    host: "127.0.0.1",
    port,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    pid,
    pgid: pid,
    argv: [engine.binary, "-m", engine.model, "--host", "127.0.0.1", "--port", String(port)],
    startedAt: new Date(Date.now() - 60_000).toISOString(),
    logPath: `${stateDir}/llama.cpp-${port}.log`,
    ...extra,
  };
}

/**
 * Steps that abort `ensureServer()` at each progress event in `when`: each rejects with the abort's
 * reason after spawning exactly one process, and leaves no process and no state file.
 */
export async function abortedWhileStarting(
  t: Deno.TestContext,
  spec: (port: number) => ServerSpec,
  when: readonly ServerProgress["kind"][],
): Promise<void> {
  for (const kind of when) {
    await t.step(`aborted at "${kind}"`, async () => {
      await using scene = await serverScene({ stateGone: true });
      const controller = new AbortController();
      const onProgress = (event: ServerProgress) =>
        event.kind === kind && controller.abort(new Error("Ctrl-C"));
      const { stateDir, spawn } = scene;
      await assert.rejects(
        ensureServer(spec(scene.port), { stateDir, spawn, signal: controller.signal, onProgress }),
        /Ctrl-C/,
      );
      assert.equal(scene.pids.length, 1);
    });
  }
}

/**
 * Asserts that `ensureServer()` refuses a port another program serves, naming `program` and suggesting
 * --port, before spawning anything.
 */
export async function assertRefusesForeignPort(
  spec: (port: number) => ServerSpec,
  program: string,
): Promise<void> {
  await using dir = await tempDir();
  await using foreign = standIn(() => new Response("not a model server"));
  const { spawn, pids } = countingSpawn();
  await assert.rejects(
    ensureServer(spec(foreign.port), { stateDir: dir.path, spawn }),
    new ServerError(
      `Cannot start ${program}: port ${foreign.port} is served by another program; choose another with --port`,
    ),
  );
  assert.deepEqual(pids, []);
}
