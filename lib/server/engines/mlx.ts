/**
 * Apple's `mlx_lm.server` (`python3 -m mlx_lm.server`). Its `/health` answers `{"status": "ok"}` as
 * soon as the HTTP server is up, before the model is loaded (or even downloaded), so readiness ends
 * with a one-token warm-up chat request.
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
  if (health.kind === "unreachable" || health.status !== 200) return undefined;
  if (field(parseJson(health.text), "status") !== "ok") return undefined;
  const listed = await request(`${endpoint.api}/models`, options);
  if (listed.kind === "unreachable" || listed.status !== 200) return undefined;
  const data = field(parseJson(listed.text), "data");
  if (!Array.isArray(data)) return undefined;
  const models = data.map((m) => field(m, "id")).filter((id): id is string => typeof id === "string");
  return { engine: "mlx", models, detail: health.headers.get("server") ?? undefined };
}

/** mlx_lm.server lists the downloaded MLX models, and a local `--model` path resolved. */
function servesModel(identity: Identity, model: string): boolean {
  return (identity.models ?? []).some((id) => id === model || id.endsWith(`/${model.replace(/^\.\//, "")}`));
}

/** The MLX engine (Apple Silicon). */
export const mlx: EngineDriver = {
  name: "mlx",
  program: "python3",
  defaultModel: MLX_DEFAULT_MODEL,
  launch: (spec) => ({ argv: mlxArgv(spec) }),
  endpoint: localEndpoint,
  probe,
  prepare,
  identify,
  servesModel,
};
