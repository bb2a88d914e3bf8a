/**
 * Finds or starts the model server a run talks to, and the model it serves. On a llama.cpp server the
 * personas are pinned to their own slots (`id_slot`), so each keeps its cached prompt prefix; other
 * engines get plain OpenAI requests.
 *
 * @module
 */
import type { ChatModel, EngineName } from "../types.ts";
import { ServerError } from "../errors.ts";
import type { Config } from "../config/schema.ts";
import { probeServer } from "../llm/probe.ts";
import { openAIModel, type SlotMap } from "../llm/client.ts";
import { ensureServer, type LifecycleOptions } from "../server/lifecycle.ts";
import { llamaCpp } from "../server/engines/llama_cpp.ts";
import { describeSpeculation, type Speculation } from "../server/speculation.ts";
import { serverPrinter } from "./progress.ts";
import { serverSpecFor } from "./server_spec.ts";
import { slotsFor, type SpeculationTuning } from "./speculation.ts";

import type { DefaultModel } from "./default_model.ts";

/** A model ready to use; disposing it stops what was started for it. */
export interface Connection extends AsyncDisposable {
  /** The model, with the Coder and the Sheriff in their own slots on a llama.cpp server. */
  model: ChatModel;
  /** The server's OpenAI base URL (`…/v1`). */
  baseUrl: string;
  /** The model the server serves (llama.cpp: the GGUF path). */
  modelName: string;
  /** The engine serving, when known (a running server found at a URL is known only when it is llama.cpp). */
  engine?: EngineName;
  /** The persona-to-slot map `model` sends; undefined when the server has no slots. */
  slots?: SlotMap;
  /** The speculative decoding in effect, when factory started or recorded the server. */
  speculation?: Speculation;
  /** The model pinned to slot pair `pair` (slots `2·pair`, `2·pair + 1`), for concurrent runs. */
  modelForPair(pair: number): ChatModel;
  /** Why the server stopped answering, when it did (for a run that ended in a model error). */
  diagnose(): Promise<string | undefined>;
}

/** Options of `connectModel`. */
export interface ConnectOptions {
  /** Use the server at the configured URL; never start one. */
  noServer: boolean;
  /** Aborts starting or probing the server. */
  signal?: AbortSignal;
  /** Progress lines for people. */
  say: (line: string) => void;
  /** The model to serve when none is configured (the CLI passes the verified offline model). @default none: the engine's own default */
  defaultModel?: DefaultModel;
  /** The fetch used to probe and talk to the server. @default {globalThis.fetch} */
  fetch?: typeof fetch;
  /** Passed to the server lifecycle (tests point `stateDir` elsewhere). */
  lifecycle?: LifecycleOptions;
  /** Parameters for the speculation modes other than their defaults (the benchmark's speed arms). */
  speculationTuning?: SpeculationTuning;
  /** Parallel slots of a server factory starts. @default {2, one per persona} */
  parallel?: number;
}

/** The API root a config points at. */
export function baseUrlOf(config: Config): string {
  return config.server.baseUrl ?? `http://${config.server.host}:${config.server.port}/v1`;
}

/**
 * Connects to the configured server: an explicit `base_url` or `--no-server` means a running server
 * that must answer; otherwise factory's own server is reused or started, and stopped on disposal when
 * this run started it.
 */
export async function connectModel(config: Config, options: ConnectOptions): Promise<Connection> {
  if (config.server.baseUrl || options.noServer) return await connectRunning(config, options);
  const model = config.server.model ?? await options.defaultModel?.(config, options.say);
  const { spec } = await serverSpecFor(config, model, {
    say: options.say,
    signal: options.signal,
    tuning: options.speculationTuning,
    parallel: options.parallel,
    resolveEngine: options.lifecycle?.resolveEngine,
  });
  const handle = await ensureServer(spec, {
    ...options.lifecycle,
    signal: options.signal,
    fetch: options.fetch,
    onProgress: serverPrinter(options.say),
  });
  const speculative = handle.speculation ? ` · speculative ${describeSpeculation(handle.speculation)}` : "";
  options.say(`model server ${handle.baseUrl} · ${handle.engine} · ${handle.model}${speculative}\n`);
  const modelFor = (slots: SlotMap | undefined) =>
    openAIModel({ baseUrl: handle.baseUrl, model: handle.model, fetch: options.fetch, slots });
  return {
    model: modelFor(slotsFor(handle.engine)),
    baseUrl: handle.baseUrl,
    modelName: handle.model,
    engine: handle.engine,
    slots: slotsFor(handle.engine),
    speculation: handle.speculation,
    modelForPair: (pair) => modelFor(slotsFor(handle.engine, pair)),
    async diagnose() {
      const health = await handle.checkHealth();
      return health.kind === "healthy"
        ? undefined
        : `${health.detail}${health.logTail ? `\n${health.logTail}` : ""}`;
    },
    [Symbol.asyncDispose]: () => handle[Symbol.asyncDispose](),
  };
}

async function connectRunning(config: Config, options: ConnectOptions): Promise<Connection> {
  const baseUrl = baseUrlOf(config);
  const probe = await probeServer(baseUrl, { signal: options.signal, fetch: options.fetch });
  switch (probe.kind) {
    case "unreachable":
      throw new ServerError(`${probe.error}: ${unreachableAdvice(config)}`);
    case "failing":
      throw new ServerError(probe.error);
    case "ok":
      break;
    default: {
      const never: never = probe;
      return never;
    }
  }
  const modelName = config.server.model ?? probe.models[0] ?? "default";
  const engine = await runningLlamaCpp(baseUrl, options);
  options.say(`model server ${baseUrl} · ${engine ? `${engine} · ` : ""}model ${modelName}\n`);
  const modelFor = (slots: SlotMap | undefined) =>
    openAIModel({ baseUrl, model: modelName, fetch: options.fetch, slots });
  const diagnose = async () => {
    const again = await probeServer(baseUrl, { fetch: options.fetch });
    return again.kind === "ok" ? undefined : again.error;
  };
  return {
    model: modelFor(slotsFor(engine)),
    baseUrl,
    modelName,
    engine,
    slots: slotsFor(engine),
    modelForPair: (pair) => modelFor(slotsFor(engine, pair)),
    diagnose,
    [Symbol.asyncDispose]: () => Promise.resolve(),
  };
}

/** `llama.cpp` when llama-server answers at `baseUrl` (its `/props`), else undefined: no slots are sent. */
async function runningLlamaCpp(baseUrl: string, options: ConnectOptions): Promise<EngineName | undefined> {
  const origin = baseUrl.replace(/\/v1\/?$/, "");
  const endpoint = { origin, api: `${origin}/v1` };
  const identity = await llamaCpp.identify(endpoint, {
    fetch: options.fetch ?? globalThis.fetch,
    signal: options.signal,
  });
  return identity?.engine === "llama.cpp" && identity.model !== undefined ? "llama.cpp" : undefined;
}

/** What to do about an unreachable server, fitting how it was chosen. */
function unreachableAdvice(config: Config): string {
  if (config.server.baseUrl) {
    return `check that the server at ${config.server.baseUrl} is running, or fix the URL`;
  }
  return 'start one with "deno run -A cli.ts server start", or drop --no-server to let run start one';
}
