/**
 * Any OpenAI-compatible server (vLLM, SGLang, LM Studio, a cluster): no process of ours, only checks
 * through `GET {baseUrl}/models`.
 *
 * @module
 */

import { field, parseJson, request } from "../_http.ts";
import type { Endpoint, EngineDriver, Identity, ProbeOptions, Readiness } from "./engine.ts";
import { localEndpoint } from "./engine.ts";

/** The endpoint of a base URL: `api` is the URL as given (no trailing slash), `origin` drops `/v1`. */
export function endpointFromBaseUrl(baseUrl: string): Endpoint {
  const api = baseUrl.replace(/\/+$/, "");
  return { api, origin: api.replace(/\/v1$/, "") };
}

async function probe(endpoint: Endpoint, options: ProbeOptions): Promise<Readiness> {
  const answer = await request(`${endpoint.api}/models`, options);
  if (answer.kind === "unreachable") return { kind: "down", detail: answer.detail };
  if (answer.status === 200) return { kind: "ready" };
  if (answer.status === 503) return { kind: "loading", detail: "HTTP 503 from /models" };
  const hint = answer.status === 401 || answer.status === 403 ? " (the server wants an API key)" : "";
  return { kind: "down", detail: `HTTP ${answer.status} from /models${hint}` };
}

async function identify(endpoint: Endpoint, options: ProbeOptions): Promise<Identity | undefined> {
  const answer = await request(`${endpoint.api}/models`, options);
  if (answer.kind === "unreachable" || answer.status !== 200) return undefined;
  const data = field(parseJson(answer.text), "data");
  if (!Array.isArray(data)) return undefined;
  const models = data.map((m) => field(m, "id")).filter((id): id is string => typeof id === "string");
  return { engine: "openai", models, model: models[0], detail: answer.headers.get("server") ?? undefined };
}

function servesModel(identity: Identity, model: string): boolean {
  return (identity.models ?? []).includes(model);
}

/** The OpenAI-compatible engine: no lifecycle. */
export const openai: EngineDriver = {
  name: "openai",
  program: "",
  defaultModel: "",
  launch: () => undefined,
  endpoint: localEndpoint,
  probe,
  identify,
  servesModel,
};
