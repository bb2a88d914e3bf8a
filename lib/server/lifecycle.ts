/**
 * Starting model servers and reusing running ones. A server is spawned in its own process group with
 * its output in a log file and a state file beside it; readiness races the process's exit; every
 * failure or abort on the way stops what was spawned, so no process is ever left behind.
 *
 * @module
 */

import { ConfigError, ServerError } from "../errors.ts";
import { inspectRecorded } from "./_inspect.ts";
import { launchServer, prepare } from "./_launch.ts";
import { connectHost, type Engine, type EngineName } from "./engines/engine.ts";
import { isLocalModel } from "./engines/llama_cpp.ts";
import { endpointFromBaseUrl, openai } from "./engines/openai.ts";
import { type EngineChoice, engineFor, resolveEngine } from "./engines/select.ts";
import { ensureLlamaServer } from "./provision_llama.ts";
import type { ProvisionProgress } from "./llama_source.ts";
import { cacheRoot, type EnvReader, realEnv, serverStateDir } from "./paths.ts";
import { pidAlive, type SpawnServer, spawnServer } from "./process_group.ts";
import { waitForReady } from "./readiness.ts";
import { borrowedHandle, type ServerHandle } from "./server_handle.ts";

export type { HealthCheck, ServerHandle } from "./server_handle.ts";

/** Which server to run, and where. */
export interface ServerSpec {
  engine: EngineChoice;
  /** A GGUF path or Hugging Face repo (llama.cpp), MLX repo or path, Ollama tag, or served model id. */
  model?: string;
  host: string;
  port: number;
  /** The server's OpenAI base URL; required for the `openai` engine. */
  baseUrl?: string;
  /** The program to run: a llama-server path, a python3 with mlx_lm, an ollama path. */
  binary?: string;
  /** Total context in tokens, divided among the slots. @default {parallel * 4096} */
  contextSize?: number;
  /** Parallel slots, one per persona. @default {2} */
  parallel?: number;
}

/** What happens while a server is being made ready. */
export type ServerProgress =
  | { kind: "provision"; progress: ProvisionProgress }
  | { kind: "spawned"; pid: number; argv: string[]; logPath: string }
  | { kind: "waiting"; detail: string; elapsedMs: number }
  | { kind: "preparing"; message: string; percent?: number }
  | { kind: "ready"; ms: number }
  | { kind: "reused"; pid?: number };

/** Options of {@linkcode startServer} and {@linkcode ensureServer}. */
export interface LifecycleOptions {
  /** Where state files and logs go. @default {serverStateDir(cacheRoot())} */
  stateDir?: string;
  /** The cache root (llama.cpp builds). @default {cacheRoot()} */
  root?: string;
  env?: EnvReader;
  /** Aborting while starting stops the spawned server, then rejects with the reason. */
  signal?: AbortSignal;
  /** @default {globalThis.fetch} */
  fetch?: typeof fetch;
  /** @default {spawnServer} */
  spawn?: SpawnServer;
  /** How long a start may take in total, model download included. @default {600_000} */
  readyTimeoutMs?: number;
  /** How long to wait after SIGTERM before SIGKILL. @default {10_000} */
  stopGraceMs?: number;
  onProgress?: (event: ServerProgress) => void;
  /** Finds the engine's program. @default {llama.cpp: find or provision llama-server; else spec.binary or the engine's program} */
  findProgram?: (engine: EngineName, spec: ServerSpec) => Promise<string>;
  /** Resolves `auto`. @default {resolveEngine} */
  resolveEngine?: (choice: EngineChoice) => Promise<EngineName>;
}

/** The resolved options every step uses. Internal. */
export interface Context {
  dir: string;
  fetch: typeof fetch;
  spawn: SpawnServer;
  signal?: AbortSignal;
  readyTimeoutMs: number;
  graceMs: number;
  onProgress: (event: ServerProgress) => void;
  findProgram: (engine: EngineName, spec: ServerSpec) => Promise<string>;
}

/**
 * Returns a ready server for the spec: our own healthy server with the same model on that port is
 * reused (a handle whose disposal stops nothing); otherwise one is started (a handle whose disposal
 * stops it). For `openai`, checks the URL and returns a borrowed handle. This is what `run` uses.
 */
export async function ensureServer(spec: ServerSpec, options: LifecycleOptions = {}): Promise<ServerHandle> {
  return await ensure(spec, options, false);
}

/**
 * `factory server start`: like {@linkcode ensureServer}, but a server it starts outlives this program
 * (call `stop()` to stop it; dropping the handle leaves it running). `openai` has nothing to start.
 */
export async function startServer(spec: ServerSpec, options: LifecycleOptions = {}): Promise<ServerHandle> {
  if (spec.engine === "openai") {
    throw new ConfigError(
      "Cannot start a server for the openai engine: it has no process; point baseUrl at a running server",
    );
  }
  return await ensure(spec, options, true);
}

async function ensure(spec: ServerSpec, options: LifecycleOptions, outlive: boolean): Promise<ServerHandle> {
  options.signal?.throwIfAborted();
  const ctx = context(options);
  const name = await (options.resolveEngine ?? resolveEngine)(spec.engine);
  if (name === "openai") return await connectOpenAI(spec, ctx);
  const engine = engineFor(name);
  const model = await normalizeModel(spec.model ?? engine.defaultModel);
  const reused = await reuseOurs(engine, spec, model, ctx);
  if (reused) return reused;
  if (await portAnswers(spec.host, spec.port)) return await adoptForeign(engine, spec, model, ctx);
  return await launchServer(engine, spec, model, ctx, outlive);
}

function context(options: LifecycleOptions): Context {
  const env = options.env ?? realEnv;
  const root = options.root ?? cacheRoot(env);
  const onProgress = options.onProgress ?? (() => {});
  return {
    dir: options.stateDir ?? serverStateDir(root),
    fetch: options.fetch ?? globalThis.fetch,
    spawn: options.spawn ?? spawnServer,
    signal: options.signal,
    readyTimeoutMs: options.readyTimeoutMs ?? 600_000,
    graceMs: options.stopGraceMs ?? 10_000,
    onProgress,
    findProgram: options.findProgram ?? (async (engine, spec) => {
      if (engine !== "llama.cpp") return spec.binary ?? engineFor(engine).program;
      const report = (progress: ProvisionProgress) => onProgress({ kind: "provision", progress });
      return await ensureLlamaServer({
        binary: spec.binary,
        root,
        env,
        signal: options.signal,
        onProgress: report,
      });
    }),
  };
}

/** A local model path made absolute (and checked); anything else (a repo id, a tag) as is. */
async function normalizeModel(model: string): Promise<string> {
  if (!isLocalModel(model)) return model;
  try {
    return await Deno.realPath(model);
  } catch {
    throw new ConfigError(`Cannot use model ${model}: no such file`);
  }
}

async function reuseOurs(engine: Engine, spec: ServerSpec, model: string, ctx: Context) {
  const found = await inspectRecorded(ctx.dir, spec.port, ctx);
  if (found.kind !== "ours") return undefined;
  const { state } = found;
  if (state.engine !== engine.name || (state.model !== model && engine.name !== "ollama")) {
    throw new ServerError(
      `Cannot start ${engine.program}: port ${spec.port} is served by factory's ${state.engine} server with ${state.model}; ` +
        `stop it with "factory server stop" or choose another with --port`,
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
    throw new ServerError(
      `Cannot reuse ${engine.program} (pid ${state.pid}) on port ${spec.port}: ${
        outcome.last.kind === "ready" ? "it exited" : outcome.last.detail
      }`,
    );
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
  });
}

/** A port served by a program we did not start: fine for a running ollama, an error otherwise. */
async function adoptForeign(engine: Engine, spec: ServerSpec, model: string, ctx: Context) {
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

async function connectOpenAI(spec: ServerSpec, ctx: Context): Promise<ServerHandle> {
  if (!spec.baseUrl) throw new ConfigError("Cannot use the openai engine: no base URL is configured");
  const endpoint = endpointFromBaseUrl(spec.baseUrl);
  const probe = (signal?: AbortSignal) => openai.probe(endpoint, { fetch: ctx.fetch, signal });
  const first = await probe(ctx.signal);
  if (first.kind === "down") {
    throw new ServerError(`Cannot reach the model server at ${endpoint.api}: ${first.detail}`);
  }
  if (first.kind === "loading") {
    const outcome = await waitForReady({ probe, timeoutMs: ctx.readyTimeoutMs, signal: ctx.signal });
    if (outcome.kind !== "ready") {
      throw new ServerError(`Cannot use the model server at ${endpoint.api}: it did not become ready`);
    }
  }
  const identity = await openai.identify(endpoint, ctx);
  const model = spec.model ?? identity?.model;
  if (!model) throw new ServerError(`Cannot use the model server at ${endpoint.api}: it lists no models`);
  const listed = identity?.models ?? [];
  if (spec.model && listed.length > 0 && !listed.includes(spec.model)) {
    throw new ServerError(
      `Cannot use model ${spec.model} at ${endpoint.api}: the server lists ${listed.join(", ")}`,
    );
  }
  return borrowedHandle({ engine: openai, endpoint, model, fetch: ctx.fetch });
}

/** Whether anything accepts TCP connections on the port. */
export async function portAnswers(host: string, port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: connectHost(host), port });
    conn.close();
    return true;
  } catch {
    return false;
  }
}
