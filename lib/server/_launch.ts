/**
 * Spawning a server and waiting until it is ready; on any failure or abort the spawned group is
 * stopped and its state file removed before the error propagates. Private to lib/server.
 *
 * @module
 */

import { ServerError } from "../errors.ts";
import type { Endpoint, EngineDriver } from "./engines/engine.ts";
import type { LifecycleDeps, ServerSpec } from "./lifecycle.ts";
import { type ServerProcess, terminateGroup } from "./process_group.ts";
import { waitForReady } from "./readiness.ts";
import { ownedHandle, type ServerHandle } from "./server_handle.ts";
import { logTail } from "./server_logs.ts";
import { logFilePath, type ServerState, stateFilePath, writeState } from "./state_file.ts";
import { NO_SPECULATION } from "./speculation.ts";

/** Spawns the engine's server for a spec and waits until it is ready. */
export async function launchServer(
  engine: EngineDriver,
  spec: ServerSpec,
  model: string,
  ctx: LifecycleDeps,
  outlive: boolean,
): Promise<ServerHandle> {
  const launch = await commandFor(engine, spec, model, ctx);
  await Deno.mkdir(ctx.dir, { recursive: true });
  const logPath = logFilePath(ctx.dir, engine.name, spec.port);
  const statePath = stateFilePath(ctx.dir, spec.port);
  const startedAt = new Date().toISOString();
  await Deno.writeTextFile(logPath, `== factory: ${startedAt} ${launch.argv.join(" ")}\n`);
  ctx.signal?.throwIfAborted();
  const process = ctx.spawn({ argv: launch.argv, env: launch.env, logPath });
  const endpoint = engine.endpoint(spec.host, spec.port);
  try {
    const state: ServerState = {
      version: 1,
      engine: engine.name,
      model,
      host: spec.host,
      port: spec.port,
      baseUrl: endpoint.api,
      pid: process.pid,
      pgid: process.pgid,
      argv: launch.argv,
      startedAt,
      logPath,
      ...(spec.speculation ? { speculation: spec.speculation } : {}),
    };
    await writeState(statePath, state);
    ctx.onProgress({ kind: "spawned", pid: process.pid, argv: launch.argv, logPath });
    await becomeReady(engine, endpoint, model, process, { ...ctx, logPath });
    const identity = await engine.identify(endpoint, ctx);
    if (identity?.model) await writeState(statePath, { ...state, servedModel: identity.model });
  } catch (error) {
    await terminateGroup(process, { exited: process.exited, graceMs: ctx.graceMs });
    await Deno.remove(statePath).catch(() => {});
    throw error;
  }
  if (outlive) process.unref();
  const speculation = spec.speculation ?? NO_SPECULATION;
  const parts = { engine, endpoint, model, fetch: ctx.fetch, logPath, speculation };
  return ownedHandle({ ...parts, process, statePath, graceMs: ctx.graceMs });
}

/** The engine's command line for a spec: two slots of 8192 tokens unless the spec says otherwise. */
async function commandFor(engine: EngineDriver, spec: ServerSpec, model: string, ctx: LifecycleDeps) {
  const program = await ctx.findProgram(engine.name, spec);
  const parallel = spec.parallel ?? 2;
  const contextSize = spec.contextSize ?? parallel * 8192;
  const { host, port, speculation } = spec;
  const launch = engine.launch({ program, model, host, port, contextSize, parallel, speculation });
  if (!launch) throw new TypeError(`The ${engine.name} engine has no process to launch`);
  return launch;
}

async function becomeReady(
  engine: EngineDriver,
  endpoint: Endpoint,
  model: string,
  process: ServerProcess,
  ctx: LifecycleDeps & { logPath: string },
): Promise<void> {
  // The log's last line rides along with each wait: it shows a model download's progress.
  let logLine = "";
  const outcome = await waitForReady({
    probe: async (signal) => {
      const answer = await engine.probe(endpoint, { fetch: ctx.fetch, signal });
      logLine = await logTail(ctx.logPath, 1);
      return answer;
    },
    exited: process.exited,
    timeoutMs: ctx.readyTimeoutMs,
    signal: ctx.signal,
    onWait: (last, elapsedMs) => {
      if (last.kind === "ready") return;
      const phase = last.kind === "loading" ? "loading" : "starting";
      ctx.onProgress({ kind: "waiting", phase, detail: last.detail, elapsedMs, logLine });
    },
  });
  if (outcome.kind === "exited") {
    const how = outcome.status?.signal ? `signal ${outcome.status.signal}` : `code ${outcome.status?.code}`;
    throw await failure(engine, `it exited with ${how} before it was ready`, ctx.logPath);
  }
  if (outcome.kind === "failed") {
    const detail = outcome.last.kind === "ready" ? "it cannot serve" : outcome.last.detail;
    throw await failure(engine, detail, ctx.logPath);
  }
  if (outcome.kind === "timed_out") {
    const last = outcome.last.kind === "ready" ? "" : ` (${outcome.last.detail})`;
    throw await failure(engine, `not ready after ${Math.round(outcome.ms / 1000)} s${last}`, ctx.logPath);
  }
  await prepareWhileAlive(engine, endpoint, model, process, ctx);
  ctx.onProgress({ kind: "ready", ms: outcome.ms });
}

/** The preparation (mlx warm-up, ollama pull), cut short when the process dies meanwhile. */
async function prepareWhileAlive(
  engine: EngineDriver,
  endpoint: Endpoint,
  model: string,
  process: ServerProcess,
  ctx: LifecycleDeps & { logPath: string },
): Promise<void> {
  const died = new AbortController();
  process.exited.then(() =>
    died.abort(new ServerError(`Cannot start ${engine.program}: it exited while preparing`))
  );
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, died.signal]) : died.signal;
  try {
    await prepare(engine, endpoint, model, ctx, signal);
  } catch (error) {
    if (died.signal.aborted && !ctx.signal?.aborted) {
      throw await failure(engine, "it exited while preparing", ctx.logPath);
    }
    // A failed warm-up (the model did not load) is explained by the log, as a crash is.
    const prefix = `Cannot start ${engine.program}: `;
    if (error instanceof ServerError && error.message.startsWith(prefix) && !ctx.signal?.aborted) {
      throw await failure(engine, error.message.slice(prefix.length), ctx.logPath);
    }
    throw error;
  }
}

async function failure(engine: EngineDriver, detail: string, logPath: string): Promise<ServerError> {
  const tail = await logTail(logPath, 15);
  const lines = tail ? `\n${tail.split("\n").map((l) => `  ${l}`).join("\n")}` : "";
  return new ServerError(`Cannot start ${engine.program}: ${detail} (log: ${logPath})${lines}`);
}

/** Runs the engine's preparation (mlx warm-up, ollama pull), reporting progress. */
export async function prepare(
  engine: EngineDriver,
  endpoint: Endpoint,
  model: string,
  ctx: LifecycleDeps,
  signal?: AbortSignal,
) {
  if (!engine.prepare) return;
  await engine.prepare(endpoint, {
    fetch: ctx.fetch,
    signal: signal ?? ctx.signal,
    timeoutMs: ctx.readyTimeoutMs,
    model,
    onProgress: (message, percent) => ctx.onProgress({ kind: "preparing", message, percent }),
  });
}
