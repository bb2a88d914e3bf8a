/**
 * Small HTTP helpers for probes: every body is read or cancelled, every timer cleared, and a caller's
 * abort is rethrown rather than reported as "unreachable". Private to lib/server.
 *
 * @module
 */

/** What one request got. */
export type HttpAnswer =
  | { kind: "answered"; status: number; headers: Headers; text: string }
  | { kind: "unreachable"; detail: string };

/** Options of one request. */
export interface RequestOptions {
  fetch: typeof fetch;
  signal?: AbortSignal;
  /** @default {5_000} */
  timeoutMs?: number;
  method?: string;
  body?: unknown;
}

/** Sends one request and reads the whole answer. Throws only when `signal` aborts. */
export async function request(url: string, options: RequestOptions): Promise<HttpAnswer> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), options.timeoutMs ?? 5_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
  try {
    const response = await options.fetch(url, {
      method: options.method ?? (options.body === undefined ? "GET" : "POST"),
      headers: options.body === undefined ? undefined : { "content-type": "application/json" },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal,
    });
    const text = await response.text();
    return { kind: "answered", status: response.status, headers: response.headers, text };
  } catch (error) {
    options.signal?.throwIfAborted();
    if (timeout.signal.aborted) return { kind: "unreachable", detail: `no answer from ${url} in time` };
    return { kind: "unreachable", detail: describe(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Parses JSON, answering undefined for anything that is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads a property of an unknown value, or undefined. */
export function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** A one-line description of a fetch failure. */
export function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return `${error.message}${cause}`.split("\n")[0];
  }
  return String(error);
}

/** Streams a response body line by line (NDJSON), reading it to the end. */
export async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of body) {
    pending += decoder.decode(chunk, { stream: true });
    const parts = pending.split("\n");
    pending = parts.pop() ?? "";
    for (const part of parts) if (part.trim() !== "") yield part;
  }
  if (pending.trim() !== "") yield pending;
}
