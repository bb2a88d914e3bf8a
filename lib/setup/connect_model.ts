/**
 * Finds or starts the model server a run talks to, and the model it serves.
 *
 * @module
 */
import type { ChatModel } from "../types.ts";
import { ServerError } from "../errors.ts";
import type { Config } from "../config/schema.ts";
import { type ProbeResult, probeServer } from "../llm/probe.ts";
import { openAIModel } from "../llm/client.ts";
import { ensureServer, type LifecycleOptions } from "../server/lifecycle.ts";
import { recordedModel } from "../server/recorded_model.ts";
import { serverPrinter } from "./progress.ts";
import { serverSpecOf } from "./server_spec.ts";
import type { DefaultModel } from "./default_model.ts";

/** A model ready to use; disposing it stops what was started for it. */
export interface Connection extends AsyncDisposable {
  /** The chat client, for `runTask`. */
  model: ChatModel;
  /** The server's OpenAI API root (`http://127.0.0.1:8080/v1`). */
  baseUrl: string;
  /** The model name sent with every request. */
  modelName: string;
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
  const handle = await ensureServer(serverSpecOf(config, model), {
    ...options.lifecycle,
    signal: options.signal,
    fetch: options.fetch,
    onProgress: serverPrinter(options.say),
  });
  options.say(`model server ${handle.baseUrl} · ${handle.engine} · ${handle.model}\n`);
  return {
    model: openAIModel({ baseUrl: handle.baseUrl, model: handle.model, fetch: options.fetch }),
    baseUrl: handle.baseUrl,
    modelName: handle.model,
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
  options.say(`model server ${baseUrl} · model ${modelName}\n`);
  const model = openAIModel({ baseUrl, model: modelName, fetch: options.fetch });
  const diagnose = async () => {
    const again = await probeServer(baseUrl, { fetch: options.fetch });
    return again.kind === "ok" || again.kind === "unlisted" ? undefined : again.error;
  };
  return { model, baseUrl, modelName, diagnose, [Symbol.asyncDispose]: () => Promise.resolve() };
}

/** What to do about an unreachable server, fitting how it was chosen. */
function unreachableAdvice(config: Config): string {
  if (config.server.baseUrl) {
    return `check that the server at ${config.server.baseUrl} is running, or fix the URL`;
  }
  return 'start one with "deno run -A cli.ts server start", or drop --no-server to let run start one';
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
