/**
 * Small wording helpers shared by the model client and the server probe. Private to `lib/llm/`.
 *
 * @module
 */

const MAX_BODY_CHARS = 200;

/** Milliseconds as seconds for a message: `120000` → `"120 s"`, `300` → `"0.3 s"`. */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
}

/** A response body cut to one short line; the `error.message` of an OpenAI-style error body when present. */
export function shortBody(text: string): string {
  let detail = text;
  try {
    const parsed: unknown = JSON.parse(text);
    const message = errorMessageOf(parsed);
    if (message !== undefined) detail = message;
  } catch {
    // Not JSON: use the text itself.
  }
  return shortLine(detail) || "(no body)";
}

/** The `error.message` (or `error` string, or `message`) of a parsed error body, if it has one. */
export function errorMessageOf(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const { error, message } = body as { error?: unknown; message?: unknown };
  if (typeof error === "string") return error;
  if (typeof error === "object" && error !== null) {
    const inner = (error as { message?: unknown }).message;
    return typeof inner === "string" ? inner : JSON.stringify(error);
  }
  return typeof message === "string" ? message : undefined;
}

/** Collapses whitespace and cuts a text to a couple of hundred characters. */
export function shortLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > MAX_BODY_CHARS ? `${line.slice(0, MAX_BODY_CHARS)}…` : line;
}

/** Why a connection failed, in a few words: `connection refused`, `host not found`, or the cause's message. */
export function describeNetworkError(error: unknown): string {
  const messages = causeChain(error).map((e) => e.message);
  const all = messages.join(" | ");
  if (/connection refused|ECONNREFUSED|os error 111/i.test(all)) return "connection refused";
  if (/failed to lookup|name or service not known|ENOTFOUND|dns error/i.test(all)) return "host not found";
  if (/connection reset|ECONNRESET|os error 104/i.test(all)) return "connection reset";
  if (/timed? ?out/i.test(all)) return "connection timed out";
  return shortLine(messages.at(-1) ?? String(error)) || "unknown network error";
}

function causeChain(error: unknown): Error[] {
  const chain: Error[] = [];
  let current = error;
  while (current instanceof Error && chain.length < 8) {
    chain.push(current);
    current = current.cause;
  }
  return chain;
}

/** The AbortError to throw when the caller's signal aborted: its reason when that is one, else a new one. */
export function abortError(signal: AbortSignal): DOMException {
  const reason: unknown = signal.reason;
  if (reason instanceof DOMException && reason.name === "AbortError") return reason;
  return new DOMException("The model call was aborted", "AbortError");
}
