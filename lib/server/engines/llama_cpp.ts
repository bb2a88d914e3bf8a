/**
 * llama.cpp's `llama-server`: `/health` answers 503 while the model loads and 200 once it is ready;
 * `GET /props` names the model file; `GET /slots` lists the parallel slots.
 *
 * @module
 */

import { field, parseJson, request } from "../_http.ts";
import type {
  Endpoint,
  EngineDriver,
  Identity,
  LaunchSpec,
  ProbeOptions,
  Readiness,
  SlotInfo,
} from "./engine.ts";
import { localEndpoint } from "./engine.ts";
import { NO_SPECULATION, speculationArgs } from "../speculation.ts";

/** A small instruct coder model that runs on a CPU-only machine (downloaded by llama-server). */
export const LLAMA_CPP_DEFAULT_MODEL = "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF:Q4_K_M";

/** Whether a model string names a local GGUF file rather than a Hugging Face repo. */
export function isLocalModel(model: string): boolean {
  return model.endsWith(".gguf") || /^(\/|\.\.?\/|~\/|[A-Za-z]:\\)/.test(model);
}

/**
 * The llama-server command line: two slots and prompt caching on, so each persona keeps its prefix, and
 * the speculation flags when the spec asks for speculative decoding.
 */
export function llamaCppArgv(spec: LaunchSpec): string[] {
  return [
    spec.program,
    ...(isLocalModel(spec.model) ? ["-m", spec.model] : ["-hf", spec.model]),
    "--host",
    spec.host,
    "--port",
    String(spec.port),
    "-c",
    String(spec.contextSize),
    "-np",
    String(spec.parallel),
    "--cache-prompt",
    "--slots",
    ...speculationArgs(spec.speculation ?? NO_SPECULATION),
  ];
}

async function probe(endpoint: Endpoint, options: ProbeOptions): Promise<Readiness> {
  const answer = await request(`${endpoint.origin}/health`, options);
  if (answer.kind === "unreachable") return { kind: "down", detail: answer.detail };
  if (answer.status === 200) return { kind: "ready" };
  const message = field(field(parseJson(answer.text), "error"), "message");
  const detail = typeof message === "string" ? message : `HTTP ${answer.status}`;
  return answer.status === 503 ? { kind: "loading", detail } : { kind: "down", detail };
}

async function identify(endpoint: Endpoint, options: ProbeOptions): Promise<Identity | undefined> {
  const answer = await request(`${endpoint.origin}/props`, options);
  if (answer.kind === "unreachable") return undefined;
  const serverHeader = answer.headers.get("server") ?? "";
  const props = parseJson(answer.text);
  const modelPath = field(props, "model_path");
  if (answer.status === 200 && typeof modelPath === "string" && field(props, "total_slots") !== undefined) {
    const build = field(props, "build_info");
    return {
      engine: "llama.cpp",
      model: modelPath,
      detail: typeof build === "string" ? build : serverHeader,
    };
  }
  // While loading every endpoint answers 503; the Server header still tells who it is.
  if (serverHeader.startsWith("llama.cpp")) return { engine: "llama.cpp", detail: serverHeader };
  return undefined;
}

async function slots(endpoint: Endpoint, options: ProbeOptions): Promise<SlotInfo[] | undefined> {
  const answer = await request(`${endpoint.origin}/slots`, options);
  if (answer.kind === "unreachable" || answer.status !== 200) return undefined;
  const list = parseJson(answer.text);
  if (!Array.isArray(list)) return undefined;
  return list.map((slot) => {
    const speculative = field(slot, "speculative");
    return {
      id: Number(field(slot, "id")),
      contextSize: Number(field(slot, "n_ctx")),
      busy: field(slot, "is_processing") === true,
      ...(typeof speculative === "boolean" ? { speculative } : {}),
    };
  });
}

/** Loose comparison of a configured model with the path the server reports. */
function servesModel(identity: Identity, model: string): boolean {
  if (identity.model === undefined) return false;
  if (identity.model === model) return true;
  if (isLocalModel(model)) return false;
  // A Hugging Face repo: the cached file's path contains the repo's name.
  const flat = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
  return flat(identity.model).includes(flat(model.split(":")[0].split("/").at(-1) ?? model));
}

/** The llama.cpp engine. */
export const llamaCpp: EngineDriver = {
  name: "llama.cpp",
  program: "llama-server",
  defaultModel: LLAMA_CPP_DEFAULT_MODEL,
  launch: (spec) => ({ argv: llamaCppArgv(spec) }),
  endpoint: localEndpoint,
  probe,
  identify,
  slots,
  servesModel,
};
