/**
 * Apple's `mlx_lm.server` (`python3 -m mlx_lm.server`), on Apple Silicon (Metal) or Linux (CPU).
 * Its `/health` answers `{"status": "ok"}` as soon as the HTTP server is up, while the model is still
 * loading (or downloading), so readiness ends with a one-token warm-up chat request; it answers 503
 * `{"status": "unavailable"}` for good once loading failed. Its `/v1/models` lists the models of the
 * Hugging Face cache and the served directory, and answers an empty body when no such cache exists;
 * it has no slots and no context-size option.
 *
 * @module
 */

import { ServerError } from "../../errors.ts";
import { field, parseJson, request } from "../_http.ts";
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

/** A 4-bit 7B coder model, comfortable on a 16 GB Apple Silicon Mac. */
export const MLX_DEFAULT_MODEL = "mlx-community/Qwen2.5-Coder-7B-Instruct-4bit";

/** The mlx_lm.server command line. The server batches requests itself; it has no slot option. */
export function mlxArgv(spec: LaunchSpec): string[] {
  return [
    spec.program,
    "-m",
    "mlx_lm.server",
    "--model",
    spec.model,
    "--host",
    spec.host,
    "--port",
    String(spec.port),
  ];
}

async function probe(endpoint: Endpoint, options: ProbeOptions): Promise<Readiness> {
  const answer = await request(`${endpoint.origin}/health`, options);
  if (answer.kind === "unreachable") return { kind: "down", detail: answer.detail };
  if (answer.status === 200) return { kind: "ready" };
  // Its generation thread died (the model did not load): it stays up but never serves.
  if (answer.status === 503 && field(parseJson(answer.text), "status") === "unavailable") {
    return { kind: "failed", detail: "the model failed to load: /health answers unavailable" };
  }
  return { kind: "down", detail: `HTTP ${answer.status} from /health` };
}

/** The warm-up: loads (and on first use downloads) the model; ends when one token came back. */
async function prepare(endpoint: Endpoint, options: PrepareOptions): Promise<void> {
  options.onProgress?.(`warming up ${options.model}`);
  const answer = await request(`${endpoint.api}/chat/completions`, {
    ...options,
    timeoutMs: options.timeoutMs ?? 600_000,
    body: {
      model: options.model,
      messages: [{ role: "user", content: "hi" }],
      max_tokens: 1,
      temperature: 0,
    },
  });
  if (answer.kind === "unreachable") {
    throw new ServerError(`Cannot start mlx_lm.server: the warm-up request failed: ${answer.detail}`);
  }
  if (answer.status !== 200 || !Array.isArray(field(parseJson(answer.text), "choices"))) {
    const detail = answer.text.trim().split("\n")[0].slice(0, 200);
    throw new ServerError(
      `Cannot start mlx_lm.server: the warm-up request failed: HTTP ${answer.status} ${detail}`,
    );
  }
}

async function identify(endpoint: Endpoint, options: ProbeOptions): Promise<Identity | undefined> {
  const health = await request(`${endpoint.origin}/health`, options);
  if (health.kind === "unreachable") return undefined;
  const status = field(parseJson(health.text), "status");
  if (!(health.status === 200 && status === "ok") && !(health.status === 503 && status === "unavailable")) {
    return undefined;
  }
  const detail = health.headers.get("server") ?? undefined;
  // Without a Hugging Face cache the model list fails (an empty body): the health answer suffices.
  const listed = await request(`${endpoint.api}/models`, options);
  const data = listed.kind === "answered" && listed.status === 200
    ? field(parseJson(listed.text), "data")
    : [];
  const models = Array.isArray(data)
    ? data.map((m) => field(m, "id")).filter((id): id is string => typeof id === "string")
    : [];
  return { engine: "mlx", models, detail };
}

/** mlx_lm.server lists the downloaded MLX models, and a local `--model` path resolved. */
function servesModel(identity: Identity, model: string): boolean {
  return (identity.models ?? []).some((id) => id === model || id.endsWith(`/${model.replace(/^\.\//, "")}`));
}

/** The MLX engine (Apple Silicon; CPU on Linux). */
export const mlx: EngineDriver = {
  name: "mlx",
  program: "mlx_lm.server",
  defaultModel: MLX_DEFAULT_MODEL,
  launch: (spec) => ({ argv: mlxArgv(spec) }),
  endpoint: localEndpoint,
  probe,
  prepare,
  identify,
  servesModel,
};
