/**
 * The model client: `npm:openai` behind the narrow `ChatModel` interface. Every call streams and sends
 * `max_tokens` and `temperature`. Time limits never throw away a slow turn: a call that receives no chunk
 * for `stallMs`, or runs past `timeoutMs`, is stopped and resolves with what arrived (finish reason
 * `time_limit`). Every failure of the server (unreachable, an error answer, no answer at all within
 * `stallMs`) becomes a `ModelError`, and the caller's abort an AbortError.
 *
 * @module
 */

import OpenAI from "openai";
import { ModelError } from "../errors.ts";
import type { ChatModel, ChatRequest, ModelReply, Persona } from "../types.ts";
import { abortError, describeNetworkError, errorMessageOf, formatSeconds, shortLine } from "./_describe.ts";
import { ReplyAssembler } from "./reply_assembler.ts";

/** How to reach an OpenAI-compatible chat completions server. */
export interface OpenAIModelOptions {
  /** The API root, for example `http://127.0.0.1:8080/v1`. */
  baseUrl: string;
  /** The model id sent with every request. */
  model: string;
  /** The bearer token sent to the server; local servers ignore it. @default {"sk-no-key-required"} */
  apiKey?: string;
  /** The fetch the SDK uses (injectable for tests). @default {globalThis.fetch} */
  fetch?: typeof fetch;
  /** The clock for `ModelReply.ms`, in milliseconds. @default {performance.now} */
  now?: () => number;
  /**
   * Pins each persona's requests to a server slot (llama-server's `id_slot`), so the Sheriff's prompt
   * never evicts the Coder's cached prefix. Only for servers that have slots: others may refuse the
   * field. @default none: the server picks a slot
   */
  slots?: SlotMap;
}

/** Which llama-server slot each persona's requests go to. */
export type SlotMap = Readonly<Partial<Record<Persona, number>>>;

/** Longest timer delay a runtime accepts; the SDK's own timeout is pushed out of the way with it. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * A `ChatModel` talking to an OpenAI-compatible server (llama-server, Ollama, MLX, OpenAI).
 * SDK retries and the SDK timeout are off: each call's `stallMs` and `timeoutMs` are its only limits.
 *
 * @example
 * ```ts
 * import { openAIModel } from "../../mod.ts";
 *
 * async function main() {
 *   const model = openAIModel({ baseUrl: "http://127.0.0.1:8080/v1", model: "default" });
 *   const reply = await model.chat({
 *     messages: [{ role: "user", content: "Say hi" }],
 *     maxTokens: 16,
 *     temperature: 0,
 *     timeoutMs: 30_000,
 *   });
 *   console.log(reply.text, reply.usage.completionTokens);
 * }
 * ```
 */
export function openAIModel(options: OpenAIModelOptions): ChatModel {
  const client = new OpenAI({
    baseURL: options.baseUrl,
    apiKey: options.apiKey ?? "sk-no-key-required",
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    fetch: options.fetch,
    maxRetries: 0,
    timeout: MAX_TIMER_MS,
    logLevel: "off",
  });
  const now = options.now ?? (() => performance.now());
  return { chat: (request) => chat(client, options, now, request) };
}

/** What a failure needs to be described. */
interface CallContext {
  baseUrl: string;
  stallMs: number;
  caller: AbortSignal | undefined;
  limits: TurnLimits;
  /** Set once the server answered (response headers arrived). */
  answered: boolean;
}

/**
 * The two time limits of a turn: no chunk for `stallMs` (counted from the request), and the whole turn
 * over `capMs`. Either aborts `signal` and records which one it was.
 */
class TurnLimits {
  readonly #controller = new AbortController();
  readonly #stallMs: number;
  #stall: ReturnType<typeof setTimeout>;
  readonly #cap: ReturnType<typeof setTimeout>;
  hit: "stall" | "cap" | undefined;

  constructor(stallMs: number, capMs: number) {
    this.#stallMs = stallMs;
    this.#stall = setTimeout(() => this.#stop("stall"), stallMs);
    this.#cap = setTimeout(() => this.#stop("cap"), capMs);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** A chunk arrived: the stall limit counts again from now. */
  activity(): void {
    if (this.hit) return;
    clearTimeout(this.#stall);
    this.#stall = setTimeout(() => this.#stop("stall"), this.#stallMs);
  }

  clear(): void {
    clearTimeout(this.#stall);
    clearTimeout(this.#cap);
  }

  #stop(which: "stall" | "cap"): void {
    this.hit ??= which;
    this.clear();
    this.#controller.abort();
  }
}

async function chat(
  client: OpenAI,
  options: OpenAIModelOptions,
  now: () => number,
  request: ChatRequest,
): Promise<ModelReply> {
  if (request.signal?.aborted) throw abortError(request.signal);
  const started = now();
  const stallMs = Math.min(request.stallMs ?? request.timeoutMs, request.timeoutMs);
  const limits = new TurnLimits(stallMs, request.timeoutMs);
  const context: CallContext = {
    baseUrl: options.baseUrl,
    stallMs,
    caller: request.signal,
    limits,
    answered: false,
  };
  const signal = request.signal ? AbortSignal.any([request.signal, limits.signal]) : limits.signal;
  try {
    const assembler = new ReplyAssembler();
    const slot = request.persona === undefined ? undefined : options.slots?.[request.persona];
    for await (
      const chunk of streamChunks(client, { model: options.model, slot }, request, signal, context)
    ) {
      limits.activity();
      const piece = assembler.add(chunk);
      if (piece) request.onToken?.(piece);
    }
    // The SDK ends a stream quietly when its request is aborted: find out whether that happened.
    const stopped = stoppedBy(context);
    if (stopped) throw stopped;
    const ms = Math.round(now() - started);
    if (limits.hit) return assembler.finish(request.messages, ms, "time_limit");
    if (assembler.chunks === 0) {
      throw new ModelError(
        "Model server sent an unreadable reply: no completion chunks in the stream",
        "bad_reply",
      );
    }
    return assembler.finish(request.messages, ms);
  } finally {
    limits.clear();
  }
}

/**
 * The raw stream chunks; any failure of the request or the stream comes out as a `ModelError`. When a
 * time limit stops a call the server had answered, the stream just ends (the caller keeps what arrived).
 */
async function* streamChunks(
  client: OpenAI,
  target: { model: string; slot?: number },
  request: ChatRequest,
  signal: AbortSignal,
  context: CallContext,
): AsyncGenerator<unknown> {
  try {
    const body: OpenAI.ChatCompletionCreateParamsStreaming = {
      model: target.model,
      messages: request.messages,
      max_tokens: request.maxTokens,
      temperature: request.temperature,
      stream: true,
      stream_options: { include_usage: true },
    };
    // llama-server's own field: which slot (private context and prompt cache) serves the request.
    const slotted = target.slot === undefined ? body : { ...body, id_slot: target.slot };
    const stream = await client.chat.completions.create(slotted, { signal });
    context.answered = true;
    yield* stream;
  } catch (error) {
    const stopped = stoppedBy(context);
    if (stopped) throw stopped;
    if (context.limits.hit) return;
    throw toModelError(error, context);
  }
}

/**
 * The error to throw when the caller aborted the call, or when a time limit passed before the server
 * answered at all; else undefined.
 */
function stoppedBy(context: CallContext): Error | undefined {
  if (context.caller?.aborted) return abortError(context.caller);
  if (context.limits.hit && !context.answered) {
    return new ModelError(`Model server sent no answer within ${formatSeconds(context.stallMs)}`, "timeout");
  }
  return undefined;
}

/** Maps an SDK or transport failure to a `ModelError`; anything else (a bug) passes through unchanged. */
function toModelError(error: unknown, context: CallContext): unknown {
  const cause = { cause: error };
  if (error instanceof OpenAI.APIConnectionError) {
    const detail = describeNetworkError(error.cause ?? error);
    return new ModelError(
      `Cannot reach the model server at ${context.baseUrl}: ${detail}`,
      "unreachable",
      cause,
    );
  }
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const detail = shortLine(errorMessageOf({ error: error.error }) ?? stripStatus(error.message)) ||
      "(no body)";
    return new ModelError(`Model server answered ${error.status}: ${detail}`, "http", cause);
  }
  if (error instanceof OpenAI.APIError) {
    // An `error` event inside an otherwise good stream (HTTP 200).
    const detail = shortLine(errorMessageOf({ error: error.error }) ?? error.message);
    return new ModelError(`Model server reported an error in its reply: ${detail}`, "http", cause);
  }
  if (error instanceof SyntaxError || error instanceof OpenAI.OpenAIError) {
    return new ModelError(
      `Model server sent an unreadable reply: ${shortLine(error.message)}`,
      "bad_reply",
      cause,
    );
  }
  if (error instanceof TypeError) {
    // A transport failure while reading the body: the connection dropped mid-reply.
    const detail = describeNetworkError(error);
    return new ModelError(
      `Lost the connection to the model server at ${context.baseUrl}: ${detail}`,
      "unreachable",
      cause,
    );
  }
  return error;
}

function stripStatus(message: string): string {
  return message.replace(/^\d{3} /, "").replace(/^status code \(no body\)$/, "");
}
