/**
 * Finds or starts the model server a run talks to, and the model it serves. On a llama.cpp server the
 * personas are pinned to their own slots (`id_slot`), so each keeps its cached prompt prefix; other
 * engines get plain OpenAI requests.
 *
 * @module
 */
import type { ChatModel } from "../types.ts";
import { ServerError } from "../errors.ts";
import { type Config, DEFAULT_CONFIG } from "../config/schema.ts";
import { COMMAND_NAME } from "../host/invocation.ts";
import { type ProbeResult, probeServer } from "../llm/probe.ts";
import { openAIModel, type SlotMap } from "../llm/client.ts";
import { ensureServer, type LifecycleOptions } from "../server/lifecycle.ts";
import { llamaCpp } from "../server/engines/llama_cpp.ts";
import { describeSpeculation, type Speculation } from "../server/speculation.ts";
import { recordedModel } from "../server/recorded_model.ts";
import { serverPrinter } from "./progress.ts";
import { serverSpecFor } from "./server_spec.ts";
import { slotsFor, type SpeculationTuning } from "./speculation.ts";
import type { DefaultModel } from "./default_model.ts";
import { explainStartFailure } from "./start_failure.ts";

/** A model ready to use; disposing it stops what was started for it. */
export interface Connection extends AsyncDisposable {
  /** The chat client, for `runTask`: the Coder and the Sheriff in their own slots on a llama.cpp server. */
  model: ChatModel;
  /** The server's OpenAI API root (`http://127.0.0.1:8080/v1`). */
  baseUrl: string;
  /** The model name sent with every request. */
  modelName: string;
  /** The engine serving the model; `openai` for a server factory did not start. */
  engine: string;
  /** The persona-to-slot map `model` sends; undefined when the server has no slots. */
  slots?: SlotMap;
  /** The speculative decoding in effect, when factory started or recorded the server. */
  speculation?: Speculation;
  /** The model pinned to slot pair `pair` (slots `2·pair`, `2·pair + 1`), for concurrent runs. @default {model} */
  modelForPair?(pair: number): ChatModel;
  /** Why the server stopped answering, when it did (for a run that ended in a model error). */
  diagnose(): Promise<string | undefined>;
}

/** Options of `connectModel`. */
export interface ConnectOptions {
  /** Use the server at the configured URL; never start one. */
  noServer: boolean;
  /** Aborts a server start or probe in progress. */
  signal?: AbortSignal;
  /** Progress lines for people. */
  say: (line: string) => void;
  /** The model to serve when none is configured (the CLI passes the verified offline model). @default none: the engine's own default */
  defaultModel?: DefaultModel;
  /** The HTTP client. @default {globalThis.fetch} */
  fetch?: typeof fetch;
  /** Passed to the server lifecycle (tests point `stateDir` elsewhere). */
  lifecycle?: LifecycleOptions;
  /** How factory was started, for the commands its advice shows. @default {"factory"} */
  command?: string;
  /** Whether a Python with `mlx_lm` is there, asked when an mlx server fails to start. @default {findMlxPython} */
  mlxFound?: () => Promise<boolean>;
  /** Parameters for the speculation modes other than their defaults (the benchmark's speed arms). */
  speculationTuning?: SpeculationTuning;
  /** Parallel slots of a server factory starts. @default {2, one per persona} */
  parallel?: number;
}

/** Connects a run to its model: {@linkcode connectModel}, or a fake in tests. */
export type Connect = (config: Config, options: ConnectOptions) => Promise<Connection>;

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
    command: options.command,
  }).catch(async (error) => {
    throw await explainStartFailure(error, config, {
      command: options.command,
      mlxFound: options.mlxFound,
    });
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
      throw new ServerError(`${probe.error}: ${unreachableAdvice(config, options.command ?? COMMAND_NAME)}`);
    case "failing":
      throw new ServerError(probe.error);
    case "ok":
    case "unlisted":
      break;
    default: {
      const never: never = probe;
      return never;
    }
  }
  const modelName = config.server.model ?? await servedModel(baseUrl, probe, options);
  if (modelName === undefined) {
    throw new ServerError(
      `${probe.kind === "unlisted" ? probe.error : baseUrl}: name the served model with -m`,
    );
  }
  const slotted = await answersAsLlamaCpp(baseUrl, options) ? "llama.cpp" : undefined;
  options.say(`model server ${baseUrl} · ${slotted ? `${slotted} · ` : ""}model ${modelName}\n`);
  const modelFor = (slots: SlotMap | undefined) =>
    openAIModel({ baseUrl, model: modelName, fetch: options.fetch, slots });
  const diagnose = async () => {
    const again = await probeServer(baseUrl, { fetch: options.fetch });
    return again.kind === "ok" || again.kind === "unlisted" ? undefined : again.error;
  };
  const engine = config.server.baseUrl || config.server.engine === "auto" ? "openai" : config.server.engine;
  return {
    model: modelFor(slotsFor(slotted)),
    baseUrl,
    modelName,
    engine,
    slots: slotsFor(slotted),
    modelForPair: (pair) => modelFor(slotsFor(slotted, pair)),
    diagnose,
    [Symbol.asyncDispose]: () => Promise.resolve(),
  };
}

/** Whether llama-server answers at `baseUrl` (its `/props`): only then are the personas pinned to slots. */
async function answersAsLlamaCpp(baseUrl: string, options: ConnectOptions): Promise<boolean> {
  const origin = baseUrl.replace(/\/v1\/?$/, "");
  const identity = await llamaCpp.identify({ origin, api: `${origin}/v1` }, {
    fetch: options.fetch ?? globalThis.fetch,
    signal: options.signal,
  });
  return identity?.engine === "llama.cpp" && identity.model !== undefined;
}

/**
 * What to do about an unreachable server, fitting how it was chosen: a base URL (`--base-url` or
 * `server.base_url`) is never started by factory, so the advice is to start it or point elsewhere;
 * `--no-server` at host:port can be served by `server start` or dropped.
 */
export function unreachableAdvice(config: Config, command: string = COMMAND_NAME): string {
  const { baseUrl, host, port } = config.server;
  if (baseUrl) return `start the server at ${baseUrl}, or point --base-url at one that is running`;
  const where = [
    host === DEFAULT_CONFIG.server.host ? "" : ` --host ${host}`,
    port === DEFAULT_CONFIG.server.port ? "" : ` --port ${port}`,
  ].join("");
  return `start one with "${command} server start${where}", or drop --no-server to let run start one`;
}

/**
 * The model to ask a running server for when none is configured: the model of factory's own server
 * at that URL when the server lists it or lists nothing; else the first listed; "default" for an
 * empty list; undefined when the server cannot list and factory did not start it.
 */
async function servedModel(
  baseUrl: string,
  probe: Extract<ProbeResult, { kind: "ok" | "unlisted" }>,
  options: ConnectOptions,
): Promise<string | undefined> {
  const listed = probe.kind === "ok" ? probe.models : [];
  const ours = await recordedModel(baseUrl, {
    stateDir: options.lifecycle?.stateDir,
    fetch: options.fetch,
    signal: options.signal,
  });
  if (ours !== undefined && (listed.length === 0 || listed.includes(ours))) return ours;
  if (listed.length > 0) return listed[0];
  return probe.kind === "ok" ? "default" : undefined;
}
