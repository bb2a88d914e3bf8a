/**
 * Finds the model server a run talks to and the model it serves.
 *
 * @module
 */
import type { ChatModel } from "../types.ts";
import { ServerError } from "../errors.ts";
import type { Config } from "../config/schema.ts";
import { probeServer } from "../llm/probe.ts";
import { openAIModel } from "../llm/client.ts";

/** A model ready to use; disposing it stops what was started for it. */
export interface Connection extends AsyncDisposable {
  model: ChatModel;
  baseUrl: string;
  modelName: string;
}

/** Options of `connectModel`. */
export interface ConnectOptions {
  noServer: boolean;
  signal?: AbortSignal;
  /** Progress lines for people. */
  say: (line: string) => void;
  /** @default {globalThis.fetch} */
  fetch?: typeof fetch;
}

/** The API root a config points at. */
export function baseUrlOf(config: Config): string {
  return config.server.baseUrl ?? `http://${config.server.host}:${config.server.port}/v1`;
}

/** Connects to a running server (it must answer `GET /models`). */
export async function connectModel(config: Config, options: ConnectOptions): Promise<Connection> {
  const baseUrl = baseUrlOf(config);
  const probe = await probeServer(baseUrl, { signal: options.signal, fetch: options.fetch });
  switch (probe.kind) {
    case "unreachable":
      throw new ServerError(
        `${probe.error}: start one with "deno run -A cli.ts server start" or ` +
          `"llama-server -m MODEL.gguf --port ${config.server.port}", or pass --base-url`,
      );
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
  options.say(`model server ${baseUrl} · model ${modelName}\n`);
  const model = openAIModel({ baseUrl, model: modelName, fetch: options.fetch });
  return { model, baseUrl, modelName, [Symbol.asyncDispose]: () => Promise.resolve() };
}
