/**
 * The model server a config asks for, with its speculative decoding decided.
 *
 * @module
 */
import type { EngineName } from "../types.ts";
import type { Config } from "../config/schema.ts";
import type { ServerSpec } from "../server/lifecycle.ts";
import { resolveEngine } from "../server/engines/select.ts";
import type { Speculation } from "../server/speculation.ts";
import { decideSpeculation, type SpeculationOptions } from "./speculation.ts";

/** The server spec of a resolved config; `model` overrides the configured one (a fetched default). */
export function serverSpecOf(
  config: Config,
  model: string | undefined = config.server.model,
  speculation?: Speculation,
): ServerSpec {
  const { engine, host, port, baseUrl } = config.server;
  const spec: ServerSpec = { engine: baseUrl ? "openai" : engine, model, host, port, baseUrl };
  return speculation ? { ...spec, speculation } : spec;
}

/** Options of {@linkcode serverSpecFor}. */
export type ServerSpecOptions = Omit<SpeculationOptions, "engine" | "model"> & {
  /** Resolves `engine: auto`. @default {resolveEngine} */
  resolveEngine?: (choice: Config["server"]["engine"]) => Promise<EngineName>;
  /** Parallel slots. @default {2, one per persona} */
  parallel?: number;
};

/**
 * The server spec of a config with `server.speculative` decided for the engine it resolves to (see
 * `decideSpeculation`: `draft` fetches and checks the draft model). Throws a `ConfigError` for a mode the
 * engine cannot run or a draft model that does not fit.
 */
export async function serverSpecFor(
  config: Config,
  model: string | undefined,
  options: ServerSpecOptions = {},
): Promise<{ spec: ServerSpec; engine: EngineName }> {
  const engine = config.server.baseUrl
    ? "openai"
    : await (options.resolveEngine ?? resolveEngine)(config.server.engine);
  const speculation = await decideSpeculation(config.server.speculative, { ...options, engine, model });
  const spec: ServerSpec = {
    ...serverSpecOf(config, model, speculation),
    ...(config.server.speculative === "auto" ? { reuseAnySpeculation: true } : {}),
    ...(options.parallel ? { parallel: options.parallel } : {}),
  };
  return { spec, engine };
}
