/**
 * Reusing a server that already serves the port: our own recorded one with the same model, or a
 * running ollama. Anything else on the port is a ServerError suggesting `--port`. Private to
 * lib/server.
 *
 * @module
 */

import { ServerError } from "../errors.ts";
import { inspectRecorded } from "./_inspect.ts";
import { prepare } from "./_launch.ts";
import type { EngineDriver } from "./engines/engine.ts";
import type { LifecycleDeps, ServerSpec } from "./lifecycle.ts";
import { pidAlive } from "../host/process.ts";
import { waitForReady } from "./readiness.ts";
import { borrowedHandle, type ServerHandle } from "./server_handle.ts";
import { describeSpeculation, NO_SPECULATION, sameSpeculation } from "./speculation.ts";

/**
 * Our own recorded server on the port: reused when it runs the same model and (unless the spec takes any)
 * the same speculative decoding, else a ServerError saying what differs and how to get past it.
 */
export async function reuseOurs(
  engine: EngineDriver,
  spec: ServerSpec,
  model: string,
  ctx: LifecycleDeps,
): Promise<ServerHandle | undefined> {
  const found = await inspectRecorded(ctx.dir, spec.port, ctx);
  if (found.kind !== "ours") return undefined;
  const { state } = found;
  if (state.engine !== engine.name || (state.model !== model && engine.name !== "ollama")) {
    throw new ServerError(
      `Cannot start ${engine.program}: port ${spec.port} is served by factory's ${state.engine} server with ${state.model}; ` +
        `stop it with "${ctx.command} server stop" or choose another with --port`,
    );
  }
  const running = state.speculation ?? NO_SPECULATION;
  const wanted = spec.speculation ?? NO_SPECULATION;
  if (!spec.reuseAnySpeculation && !sameSpeculation(running, wanted)) {
    throw new ServerError(
      `Cannot reuse ${engine.program} on port ${spec.port}: it runs with speculative decoding ` +
        `${describeSpeculation(running)}, not ${describeSpeculation(wanted)}; ` +
        `stop it with "factory server stop", ask for --speculative ${running.kind}, or choose another --port`,
    );
  }
  const endpoint = engine.endpoint(state.host, state.port);
  const outcome = await waitForReady({
    probe: (signal) => engine.probe(endpoint, { fetch: ctx.fetch, signal }),
    alive: () => pidAlive(state.pid),
    timeoutMs: ctx.readyTimeoutMs,
    signal: ctx.signal,
  });
  if (outcome.kind !== "ready") {
    const last = outcome.last.kind === "ready" ? "" : ` (${outcome.last.detail})`;
    const why = outcome.kind === "exited"
      ? "it exited"
      : outcome.kind === "failed"
      ? `it cannot serve${last}`
      : `not ready after ${Math.round(outcome.ms / 1000)} s${last}`;
    throw new ServerError(`Cannot reuse ${engine.program} (pid ${state.pid}) on port ${spec.port}: ${why}`);
  }
  await prepare(engine, endpoint, model, ctx);
  ctx.onProgress({ kind: "reused", pid: state.pid });
  return borrowedHandle({
    engine,
    endpoint,
    model,
    fetch: ctx.fetch,
    pid: state.pid,
    logPath: state.logPath,
    speculation: running,
  });
}

/** A port served by a program we did not start: fine for a running ollama, an error otherwise. */
export async function adoptForeign(
  engine: EngineDriver,
  spec: ServerSpec,
  model: string,
  ctx: LifecycleDeps,
): Promise<ServerHandle> {
  const endpoint = engine.endpoint(spec.host, spec.port);
  if (engine.name === "ollama" && (await engine.identify(endpoint, ctx))?.engine === "ollama") {
    await prepare(engine, endpoint, model, ctx);
    ctx.onProgress({ kind: "reused" });
    return borrowedHandle({ engine, endpoint, model, fetch: ctx.fetch });
  }
  throw new ServerError(
    `Cannot start ${engine.program}: port ${spec.port} is served by another program; choose another with --port`,
  );
}
