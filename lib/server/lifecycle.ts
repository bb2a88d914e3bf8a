/**
 * Starting model servers and reusing running ones. A server is spawned in its own process group with
 * its output in a log file and a state file beside it; readiness races the process's exit; every
 * failure or abort on the way stops what was spawned, so no process is ever left behind.
 *
 * @module
 */

import { ConfigError } from "../errors.ts";
import { connectOpenAI } from "./_connect_openai.ts";
import { launchServer } from "./_launch.ts";
import { adoptForeign, reuseOurs } from "./_reuse.ts";
import { connectHost } from "./engines/engine.ts";
import { type EngineName } from "../types.ts";
import { isLocalModel } from "./engines/llama_cpp.ts";
import { type EngineChoice } from "../types.ts";
import { engineFor, resolveEngine } from "./engines/select.ts";
import type { ProvisionProgress } from "./llama_source.ts";
import { cacheRoot, type EnvReader, realEnv } from "../host/cache_paths.ts";
import { COMMAND_NAME } from "../host/invocation.ts";
import { serverStateDir } from "./paths.ts";
import { type SpawnServer, spawnServer } from "./process_group.ts";
import { ensureLlamaServer } from "./provision_llama.ts";
import { ensureMlxPython } from "./provision_mlx.ts";
import type { ServerHandle } from "./server_handle.ts";
import type { Speculation } from "./speculation.ts";

export type { HealthCheck, ServerHandle } from "./server_handle.ts";

/** Which server to run, and where. */
export interface ServerSpec {
  /** The engine to run, or `auto` to pick one on this machine. */
  engine: EngineChoice;
  /** A GGUF path or Hugging Face repo (llama.cpp), MLX repo or path, Ollama tag, or served model id. */
  model?: string;
  /** The host the server listens on and is reached at. */
  host: string;
  /** The TCP port the server listens on. */
  port: number;
  /** The server's OpenAI base URL; required for the `openai` engine. */
  baseUrl?: string;
  /** The program to run: a llama-server path, a python3 with mlx_lm (default: the cached environment), an ollama path. */
  binary?: string;
  /** Total context in tokens, divided among the slots. @default {parallel * 8192} */
  contextSize?: number;
  /** Parallel slots, one per persona. @default {2} */
  parallel?: number;
  /**
   * Speculative decoding of a server this starts, decided by the setup layer (llama.cpp only). A recorded
   * server is reused only when it runs the same, unless `reuseAnySpeculation`. @default off
   */
  speculation?: Speculation;
  /** Reuse our recorded server with the model whatever speculation it runs (`auto` asked for none in particular). @default {false} */
  reuseAnySpeculation?: boolean;
}

/** What happens while a server is being made ready. */
export type ServerProgress =
  | { kind: "provision"; progress: ProvisionProgress }
  | { kind: "spawned"; pid: number; argv: string[]; logPath: string }
  /**
   * Not ready yet: `starting` while nothing answers, `loading` once the server answers that it loads the
   * model; the probe's answer and the log's last line (download progress shows there) as they were.
   */
  | { kind: "waiting"; phase: "starting" | "loading"; detail: string; elapsedMs: number; logLine: string }
  | { kind: "preparing"; message: string; percent?: number }
  | { kind: "ready"; ms: number }
  | { kind: "reused"; pid?: number };

/** Options of {@linkcode startServer} and {@linkcode ensureServer}. */
export interface LifecycleOptions {
  /** Where state files and logs go. @default {serverStateDir(cacheRoot())} */
  stateDir?: string;
  /** The cache root (llama.cpp builds). @default {cacheRoot()} */
  root?: string;
  /** Reads environment variables, such as those locating the cache root. @default {the real environment} */
  env?: EnvReader;
  /** Aborting while starting stops the spawned server, then rejects with the reason. */
  signal?: AbortSignal;
  /** The fetch used to probe and query the server (injectable for tests). @default {globalThis.fetch} */
  fetch?: typeof fetch;
  /** Spawns the server process (injectable for tests). @default {spawnServer} */
  spawn?: SpawnServer;
  /** How long a start may take in total, model download included. @default {600_000} */
  readyTimeoutMs?: number;
  /** How long to wait after SIGTERM before SIGKILL. @default {10_000} */
  stopGraceMs?: number;
  /** Receives progress while the server is being made ready: provisioning, spawn, waiting, ready. */
  onProgress?: (event: ServerProgress) => void;
  /** Finds the engine's program. @default {llama.cpp: find or build llama-server; mlx: find or install a Python with mlx_lm; else spec.binary or the engine's program} */
  findProgram?: (engine: EngineName, spec: ServerSpec) => Promise<string>;
  /** Resolves `auto`. @default {resolveEngine} */
  resolveEngine?: (choice: EngineChoice) => Promise<EngineName>;
  /** How factory was started, for the commands error messages suggest. @default {"factory"} */
  command?: string;
}

/** The resolved options every step uses. Internal. */
export interface LifecycleDeps {
  dir: string;
  fetch: typeof fetch;
  spawn: SpawnServer;
  signal?: AbortSignal;
  readyTimeoutMs: number;
  graceMs: number;
  onProgress: (event: ServerProgress) => void;
  findProgram: (engine: EngineName, spec: ServerSpec) => Promise<string>;
  command: string;
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

function context(options: LifecycleOptions): LifecycleDeps {
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
    command: options.command ?? COMMAND_NAME,
    findProgram: options.findProgram ?? (async (engine, spec) => {
      const report = (progress: ProvisionProgress) => onProgress({ kind: "provision", progress });
      const provision = { binary: spec.binary, root, env, signal: options.signal, onProgress: report };
      if (engine === "llama.cpp") return await ensureLlamaServer(provision);
      if (engine === "mlx") return await ensureMlxPython(provision);
      return spec.binary ?? engineFor(engine).program;
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
