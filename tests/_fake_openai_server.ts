/**
 * An in-process OpenAI-compatible server for tests. It answers `GET /v1/models` and
 * `POST /v1/chat/completions` (streaming SSE or plain JSON) from a script of replies, one reply per chat
 * request, and records every request it receives. Dispose it (`await using`) to close pending streams
 * and shut it down, so the leak sanitizers stay quiet.
 *
 * @module
 */

/** One scripted answer to a chat completion request. A plain string is `{ text }`. */
export interface FakeReply {
  /** The completion text. @default {""} */
  text?: string;
  /** @default {"stop"} */
  finishReason?: string;
  /** Token counts to report, or `false` to report none. Default: counted from the request and the chunks. */
  usage?: false | { promptTokens: number; completionTokens: number };
  /** Reported as `usage.prompt_tokens_details.cached_tokens`. */
  cachedTokens?: number;
  /** A llama-server `timings` object to send with the last chunk. */
  timings?: {
    promptN: number;
    promptMs: number;
    predictedN: number;
    predictedMs: number;
    cacheN?: number;
    /** Speculative decoding's `draft_n` and `draft_n_accepted`. */
    draftN?: number;
    draftAccepted?: number;
  };
  /** Answer with this HTTP status and `body` instead of a completion. */
  status?: number;
  /** The body sent with `status`. @default {`{"error":{"message":"fake failure"}}`} */
  body?: string;
  /** Send the response headers, then nothing until the client goes away or the server is disposed. */
  hang?: boolean;
  /** Send nothing at all, not even headers, until the client goes away or the server is disposed. */
  silent?: boolean;
  /** Answer 200 with an event stream whose data is not JSON; a string is sent as the whole raw body. */
  garbage?: boolean | string;
  /** Characters of text per streamed chunk. @default {4} */
  chunkSize?: number;
  /** Pause before each streamed chunk, in milliseconds. @default {0} */
  chunkDelayMs?: number;
  /** After this many text chunks, send nothing more until the client goes away or the server is disposed. */
  stallAfter?: number;
}

/** The JSON body of a chat completion request, as received. */
export interface ReceivedChatBody {
  model?: string;
  messages?: { role: string; content: string }[];
  max_tokens?: number;
  temperature?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [key: string]: unknown;
}

/** One request the server received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Headers;
  /** The parsed JSON body of a chat request; undefined for other requests. */
  body?: ReceivedChatBody;
}

/** How the fake server behaves. */
export interface FakeOpenAIServerOptions {
  /** One entry per chat request, in order. Requests past the end get a 500. */
  replies?: Array<string | FakeReply>;
  /** Ids listed by `/v1/models`, or an HTTP failure to answer it with. @default {["fake-model"]} */
  models?: string[] | { status: number; body: string };
}

/** A running fake server. */
export interface FakeOpenAIServer extends AsyncDisposable {
  /** `http://127.0.0.1:<port>/v1` */
  readonly baseUrl: string;
  /** Every request received, in order. */
  readonly requests: ReceivedRequest[];
  /** The bodies of the chat completion requests received, in order. */
  readonly chatBodies: ReceivedChatBody[];
  /** Closes pending streams and stops the server. Safe to call twice. */
  close(): Promise<void>;
}

const encoder = new TextEncoder();

/** Starts a fake OpenAI-compatible server on a free port of 127.0.0.1. */
export function fakeOpenAIServer(options: FakeOpenAIServerOptions = {}): FakeOpenAIServer {
  const replies = [...(options.replies ?? [])];
  const requests: ReceivedRequest[] = [];
  const closing = new AbortController();
  const streams = new Set<ReadableStreamDefaultController<Uint8Array>>();
  let closed: Promise<void> | undefined;

  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const path = new URL(req.url).pathname;
    const received: ReceivedRequest = { method: req.method, path, headers: req.headers };
    requests.push(received);
    if (req.method === "GET" && path === "/v1/models") return modelsResponse(options.models);
    if (req.method !== "POST" || path !== "/v1/chat/completions") {
      await req.body?.cancel();
      return json(404, { error: { message: `No route for ${req.method} ${path}` } });
    }
    const body = await req.json() as ReceivedChatBody;
    received.body = body;
    const next = replies.shift();
    if (next === undefined) return json(500, { error: { message: "fake server: no scripted reply left" } });
    const reply = typeof next === "string" ? { text: next } : next;
    if (reply.silent) {
      await new Promise<void>((resolve) => {
        if (closing.signal.aborted || req.signal.aborted) return resolve();
        closing.signal.addEventListener("abort", () => resolve(), { once: true });
        req.signal.addEventListener("abort", () => resolve(), { once: true });
      });
      return json(503, { error: { message: "fake server: stayed silent" } });
    }
    return chatResponse(reply, body, { closing: closing.signal, streams });
  });

  const close = () => {
    closed ??= (async () => {
      closing.abort();
      for (const controller of streams) closeQuietly(controller);
      streams.clear();
      await server.shutdown();
    })();
    return closed;
  };

  return {
    baseUrl: `http://127.0.0.1:${server.addr.port}/v1`,
    requests,
    get chatBodies() {
      return requests.flatMap((r) => r.body ? [r.body] : []);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

interface StreamRegistry {
  closing: AbortSignal;
  streams: Set<ReadableStreamDefaultController<Uint8Array>>;
}

function modelsResponse(models: FakeOpenAIServerOptions["models"]): Response {
  const list = models ?? ["fake-model"];
  if (!Array.isArray(list)) return new Response(list.body, { status: list.status });
  return json(200, { object: "list", data: list.map((id) => ({ id, object: "model", owned_by: "fake" })) });
}

function chatResponse(reply: FakeReply, body: ReceivedChatBody, registry: StreamRegistry): Response {
  if (reply.status !== undefined) {
    return new Response(reply.body ?? JSON.stringify({ error: { message: "fake failure" } }), {
      status: reply.status,
      headers: { "content-type": "application/json" },
    });
  }
  if (reply.hang) return sse(registry, () => new Promise<void>(() => {}), true);
  if (reply.garbage !== undefined && reply.garbage !== false) {
    const raw = reply.garbage === true ? "data: {this is not json\n\n" : reply.garbage;
    return sse(registry, (send) => Promise.resolve(send(raw)));
  }
  if (body.stream) return sse(registry, (send, signal) => streamReply(reply, body, send, signal));
  return json(200, completion(reply, body));
}

type Send = (text: string) => void;

/**
 * An event-stream response whose body `write` fills. The stream is closed when `write` finishes, when the
 * client goes away (cancel), or when the server is disposed. `hang` streams end only then.
 */
function sse(
  registry: StreamRegistry,
  write: (send: Send, signal: AbortSignal) => Promise<void>,
  hang = false,
): Response {
  const gone = new AbortController();
  const abort = () => gone.abort();
  registry.closing.addEventListener("abort", abort, { once: true });
  let ctrl: ReadableStreamDefaultController<Uint8Array>;
  const finish = () => {
    registry.closing.removeEventListener("abort", abort);
    registry.streams.delete(ctrl);
    closeQuietly(ctrl);
  };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      ctrl = controller;
      registry.streams.add(controller);
      if (hang) return;
      const send: Send = (text) => {
        if (!gone.signal.aborted) controller.enqueue(encoder.encode(text));
      };
      write(send, gone.signal).catch(() => {}).finally(finish);
    },
    cancel() {
      gone.abort();
      finish();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
  });
}

async function streamReply(reply: FakeReply, body: ReceivedChatBody, send: Send, signal: AbortSignal) {
  const text = reply.text ?? "";
  const size = Math.max(1, reply.chunkSize ?? 4);
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  const base = { id: "chatcmpl-fake", object: "chat.completion.chunk", created: 0, model: body.model ?? "" };
  const event = (data: unknown) => send(`data: ${JSON.stringify(data)}\n\n`);
  event({
    ...base,
    choices: [{ index: 0, delta: { role: "assistant", content: null }, finish_reason: null }],
  });
  for (const [index, piece] of pieces.entries()) {
    if (index === reply.stallAfter) {
      if (signal.aborted) return;
      await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
      return;
    }
    await delay(reply.chunkDelayMs ?? 0, signal);
    event({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
  }
  const usage = usageOf(reply, body, pieces.length);
  const timings = timingsOf(reply);
  const wantsUsage = body.stream_options?.include_usage === true && usage !== undefined;
  const last = { index: 0, delta: {}, finish_reason: reply.finishReason ?? "stop" };
  event({ ...base, choices: [last], ...(wantsUsage ? {} : timings) });
  if (wantsUsage) event({ ...base, choices: [], usage, ...timings });
  send("data: [DONE]\n\n");
}

function completion(reply: FakeReply, body: ReceivedChatBody) {
  const text = reply.text ?? "";
  const usage = usageOf(reply, body, Math.ceil(text.length / Math.max(1, reply.chunkSize ?? 4)));
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: 0,
    model: body.model ?? "",
    choices: [{
      index: 0,
      message: { role: "assistant", content: text },
      finish_reason: reply.finishReason ?? "stop",
    }],
    ...(usage ? { usage } : {}),
    ...timingsOf(reply),
  };
}

function usageOf(reply: FakeReply, body: ReceivedChatBody, chunks: number) {
  if (reply.usage === false) return undefined;
  const promptChars = (body.messages ?? []).reduce((n, m) => n + m.content.length, 0);
  const prompt = reply.usage?.promptTokens ?? Math.ceil(promptChars / 4);
  const completion = reply.usage?.completionTokens ?? chunks;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    ...(reply.cachedTokens !== undefined
      ? { prompt_tokens_details: { cached_tokens: reply.cachedTokens } }
      : {}),
  };
}

function timingsOf(reply: FakeReply): { timings?: Record<string, number> } {
  const t = reply.timings;
  if (!t) return {};
  return {
    timings: {
      prompt_n: t.promptN,
      prompt_ms: t.promptMs,
      predicted_n: t.predictedN,
      predicted_ms: t.predictedMs,
      ...(t.cacheN !== undefined ? { cache_n: t.cacheN } : {}),
      ...(t.draftN !== undefined ? { draft_n: t.draftN, draft_n_accepted: t.draftAccepted ?? 0 } : {}),
    },
  };
}

function json(status: number, value: unknown): Response {
  return new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });
}

function closeQuietly(controller: ReadableStreamDefaultController<Uint8Array>) {
  try {
    controller.close();
  } catch {
    // Already closed or errored.
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
