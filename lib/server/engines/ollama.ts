/**
 * Ollama: `ollama serve` listening on `OLLAMA_HOST`, its OpenAI API under `/v1`, its own API under
 * `/api` (`/api/version`, `/api/tags`, and `/api/pull` streaming NDJSON progress).
 *
 * @module
 */

import { ServerError } from "../../errors.ts";
import { describe, field, lines, parseJson, request } from "../_http.ts";
import type {
  Endpoint,
  EngineDriver,
  Identity,
  LaunchSpec,
  PrepareOptions,
  ProbeOptions,
  Readiness,
} from "./engine.ts";
import { localEndpoint } from "./engine.ts";

/** A small coder model from the Ollama library. */
export const OLLAMA_DEFAULT_MODEL = "qwen2.5-coder:1.5b";

/** `ollama serve` with its address, parallelism and per-request context in the environment. */
export function ollamaLaunch(spec: LaunchSpec): { argv: string[]; env: Record<string, string> } {
  return {
    argv: [spec.program, "serve"],
    env: {
      OLLAMA_HOST: `${spec.host}:${spec.port}`,
      OLLAMA_NUM_PARALLEL: String(spec.parallel),
      OLLAMA_CONTEXT_LENGTH: String(Math.floor(spec.contextSize / spec.parallel)),
    },
  };
}

async function probe(endpoint: Endpoint, options: ProbeOptions): Promise<Readiness> {
  const answer = await request(`${endpoint.origin}/api/version`, options);
  if (answer.kind === "unreachable") return { kind: "down", detail: answer.detail };
  if (answer.status === 200) return { kind: "ready" };
  return { kind: "down", detail: `HTTP ${answer.status} from /api/version` };
}

async function listModels(endpoint: Endpoint, options: ProbeOptions): Promise<string[] | undefined> {
  const answer = await request(`${endpoint.origin}/api/tags`, options);
  if (answer.kind === "unreachable" || answer.status !== 200) return undefined;
  const models = field(parseJson(answer.text), "models");
  if (!Array.isArray(models)) return undefined;
  return models.map((m) => field(m, "name")).filter((n): n is string => typeof n === "string");
}

/** Whether a listed tag is the model asked for (`qwen2.5-coder` means `qwen2.5-coder:latest`). */
export function sameOllamaModel(listed: string, model: string): boolean {
  const full = (name: string) => name.includes(":") ? name : `${name}:latest`;
  return full(listed) === full(model);
}

/** Pulls the model unless it is already there, reporting the pull's progress. */
async function prepare(endpoint: Endpoint, options: PrepareOptions): Promise<void> {
  const present = await listModels(endpoint, options);
  if (present?.some((name) => sameOllamaModel(name, options.model))) return;
  options.onProgress?.(`pulling ${options.model}`);
  let response: Response;
  try {
    response = await options.fetch(`${endpoint.origin}/api/pull`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: options.model, stream: true }),
      signal: options.signal,
    });
  } catch (error) {
    options.signal?.throwIfAborted();
    throw new ServerError(`Cannot pull ${options.model} with ollama: ${describe(error)}`);
  }
  if (!response.ok || !response.body) {
    const text = await response.text();
    throw new ServerError(`Cannot pull ${options.model} with ollama: HTTP ${response.status} ${text.trim()}`);
  }
  await followPull(response.body, options);
}

async function followPull(body: ReadableStream<Uint8Array>, options: PrepareOptions): Promise<void> {
  let last = "";
  for await (const line of lines(body)) {
    const event = parseJson(line);
    const error = field(event, "error");
    if (typeof error === "string") {
      throw new ServerError(`Cannot pull ${options.model} with ollama: ${error}`);
    }
    const status = String(field(event, "status") ?? "");
    const total = Number(field(event, "total") ?? 0);
    const completed = Number(field(event, "completed") ?? 0);
    const percent = total > 0 ? Math.floor((completed / total) * 100) : undefined;
    options.onProgress?.(status, percent);
    last = status;
  }
  if (last !== "success") {
    throw new ServerError(`Cannot pull ${options.model} with ollama: the pull ended with "${last}"`);
  }
}

async function identify(endpoint: Endpoint, options: ProbeOptions): Promise<Identity | undefined> {
  const answer = await request(`${endpoint.origin}/api/version`, options);
  if (answer.kind === "unreachable" || answer.status !== 200) return undefined;
  const version = field(parseJson(answer.text), "version");
  if (typeof version !== "string") return undefined;
  const models = await listModels(endpoint, options);
  return { engine: "ollama", models, detail: `ollama ${version}` };
}

/** Ollama serves whichever model a request names, pulling it first when needed. */
function servesModel(identity: Identity, _model: string): boolean {
  return identity.engine === "ollama";
}

/** The Ollama engine. */
export const ollama: EngineDriver = {
  name: "ollama",
  program: "ollama",
  defaultModel: OLLAMA_DEFAULT_MODEL,
  launch: ollamaLaunch,
  endpoint: localEndpoint,
  probe,
  prepare,
  identify,
  servesModel,
};
