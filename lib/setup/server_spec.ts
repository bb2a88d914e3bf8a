/**
 * The model server a config asks for.
 *
 * @module
 */
import type { Config } from "../config/schema.ts";
import type { ServerSpec } from "../server/lifecycle.ts";

/** The server spec of a resolved config; `model` overrides the configured one (a fetched default). */
export function serverSpecOf(config: Config, model: string | undefined = config.server.model): ServerSpec {
  const { engine, host, port, baseUrl } = config.server;
  return { engine: baseUrl ? "openai" : engine, model, host, port, baseUrl };
}
