/**
 * The doctor's items about models: the offline coder model (fetched and verified, or how to fetch it)
 * and a model server given by URL (answering or not). Private to lib/server.
 *
 * @module
 */
import type { DoctorItem } from "./doctor.ts";
import { defaultCatalog, draftModelOf } from "../models/catalog.ts";
import { cachedModel } from "../models/fetch_model.ts";
import { endpointFromBaseUrl, openai } from "./engines/openai.ts";

/** Finds the cached, verified file of a catalog model; undefined when it is not fetched. */
export type CachedModel = (name: string) => Promise<{ path: string } | undefined>;

/**
 * The offline coder model: found when it is cached and matches the catalog (size, sha256, GGUF
 * header), else missing with `model fetch` as the fix. Needed only when llama.cpp serves it (no model
 * and no server URL configured).
 */
export async function coderModelItem(
  options: { required: boolean; command: string; root: string; cached?: CachedModel },
): Promise<DoctorItem> {
  const catalog = defaultCatalog();
  const model = catalog.models.find((m) => m.name === catalog.default);
  const base = {
    name: "coder model",
    purpose: "the model llama.cpp serves when none is configured",
    required: options.required,
  };
  const cached = options.cached ?? ((name) => cachedModel(name, { cacheDir: options.root }));
  const found = await cached(catalog.default);
  if (found) return { ...base, presence: { kind: "found", detail: `${found.path} (fetched and verified)` } };
  const size = model ? ` (${(model.file.size / 1e9).toFixed(1)} GB, once)` : "";
  return {
    ...base,
    presence: {
      kind: "missing",
      detail: `${catalog.default} is not fetched yet${size}`,
      fix: `${options.command} model fetch`,
    },
  };
}

/**
 * The catalog's draft model of the default model (its small sibling of the same tokenizer), needed when
 * `server.speculative` is `draft`: found when cached and verified, else `model fetch NAME` as the fix.
 */
export async function draftModelItem(
  options: { required: boolean; command: string; root: string; cached?: CachedModel },
): Promise<DoctorItem> {
  const catalog = defaultCatalog();
  const draft = draftModelOf(catalog, catalog.default);
  const base = { name: "draft model", purpose: "server.speculative: draft", required: options.required };
  if (!draft) return { ...base, presence: { kind: "not_applicable", reason: "the catalog names none" } };
  const cached = options.cached ?? ((name) => cachedModel(name, { cacheDir: options.root }));
  const found = await cached(draft.name);
  if (found) return { ...base, presence: { kind: "found", detail: `${found.path} (fetched and verified)` } };
  return {
    ...base,
    presence: {
      kind: "missing",
      detail: `${draft.name} is not fetched yet (${(draft.file.size / 1e9).toFixed(1)} GB, once)`,
      fix: `${options.command} model fetch ${draft.name}`,
    },
  };
}

/** The server at `baseUrl`: found when its `/models` answers. */
export async function modelServerItem(baseUrl: string, fetch: typeof globalThis.fetch): Promise<DoctorItem> {
  const base = {
    name: "model server",
    purpose: "the model, at --base-url / server.base_url",
    required: true,
  };
  const readiness = await openai.probe(endpointFromBaseUrl(baseUrl), { fetch });
  if (readiness.kind === "ready") {
    return { ...base, presence: { kind: "found", detail: `${baseUrl} answers` } };
  }
  return {
    ...base,
    presence: {
      kind: "missing",
      detail: `${baseUrl} does not answer (${readiness.detail})`,
      fix: `start the server at ${baseUrl}, or pass --base-url with one that is running`,
    },
  };
}
