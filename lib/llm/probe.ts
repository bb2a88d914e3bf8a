/**
 * Checks an OpenAI-compatible server before a run by listing its models (`GET <baseUrl>/models`).
 *
 * @module
 */

import { abortError, describeNetworkError, formatSeconds, shortBody } from "./_describe.ts";

/** What the server said when asked for its models. */
export type ProbeResult =
  /** The server answered with a model list (possibly empty), in the order it listed them. */
  | { kind: "ok"; models: string[] }
  /**
   * The server answered 200 with an empty body instead of a list: it serves, but cannot say what
   * (mlx_lm.server does this when no Hugging Face cache exists). Usable when the model is known.
   */
  | { kind: "unlisted"; error: string }
  /** No HTTP answer at all: refused, unknown host, or no answer in time. */
  | { kind: "unreachable"; error: string }
  /** The server answered, but with an error status or something that is not a model list. */
  | { kind: "failing"; status: number; error: string };

/** Options for {@link probeServer}. */
export interface ProbeOptions {
  /** The fetch used for the request (injectable for tests). @default {globalThis.fetch} */
  fetch?: typeof fetch;
  /** Aborting it rejects the probe with an AbortError. */
  signal?: AbortSignal;
  /** How long to wait for the whole answer. @default {5_000} */
  timeoutMs?: number;
}

/**
 * Asks the server at `baseUrl` (an API root such as `http://127.0.0.1:8080/v1`) for its models. Never throws
 * for a server problem: the result says what went wrong, in a sentence ready for a `ServerError`.
 */
export async function probeServer(baseUrl: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const { fetch: fetchFn = globalThis.fetch, signal: caller, timeoutMs = 5_000 } = options;
  if (caller?.aborted) throw abortError(caller);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const signal = caller ? AbortSignal.any([caller, deadline.signal]) : deadline.signal;
  const url = `${baseUrl.replace(/\/+$/, "")}/models`;
  try {
    const response = await fetchFn(url, { signal, headers: { accept: "application/json" } });
    const text = await response.text();
    if (!response.ok) {
      const error = `Model server at ${baseUrl} answered ${response.status}: ${shortBody(text)}`;
      return { kind: "failing", status: response.status, error };
    }
    if (text.trim() === "") {
      return { kind: "unlisted", error: `Model server at ${baseUrl} answered /models with an empty body` };
    }
    const models = parseModelList(text);
    if (models === undefined) {
      const error = `Model server at ${baseUrl} did not answer /models with a model list: ${shortBody(text)}`;
      return { kind: "failing", status: response.status, error };
    }
    return { kind: "ok", models };
  } catch (error) {
    if (caller?.aborted) throw abortError(caller);
    const detail = deadline.signal.aborted
      ? `no answer within ${formatSeconds(timeoutMs)}`
      : describeNetworkError(error);
    return { kind: "unreachable", error: `Cannot reach the model server at ${baseUrl}: ${detail}` };
  } finally {
    clearTimeout(timer);
  }
}

/** Model ids from an OpenAI list (`data[].id`) or Ollama/llama-server style `models[].model|name`. */
function parseModelList(text: string): string[] | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== "object" || body === null) return undefined;
  const { data, models } = body as { data?: unknown; models?: unknown };
  if (Array.isArray(data)) return idsOf(data, ["id"]);
  if (Array.isArray(models)) return idsOf(models, ["model", "name"]);
  return undefined;
}

function idsOf(entries: unknown[], keys: string[]): string[] {
  const ids: string[] = [];
  for (const entry of entries) {
    if (typeof entry !== "object" || entry === null) continue;
    const record = entry as Record<string, unknown>;
    const id = keys.map((key) => record[key]).find((value) => typeof value === "string");
    if (typeof id === "string") ids.push(id);
  }
  return ids;
}
