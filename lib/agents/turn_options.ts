/**
 * The options of one persona turn, shared by the Coder and the Sheriff.
 *
 * @module
 */
import type { ChatRequest, Persona } from "../types.ts";

/** How one model call of a turn is made; every field is forwarded to {@linkcode ChatModel.chat}. */
export interface TurnOptions {
  /** `max_tokens` of the call. */
  maxTokens: number;
  temperature: number;
  /** The turn's time cap: when it passes, the call stops and keeps what arrived. */
  timeoutMs: number;
  /** The longest wait for the next token; the call then stops and keeps what arrived. @default {timeoutMs} */
  stallMs?: number;
  /** Aborts the call; the turn then rejects with a `DOMException` "AbortError". */
  signal?: AbortSignal;
  /** Receives each streamed piece of the reply. */
  onToken?: (text: string) => void;
  /** Which persona's turn it is; a client pinning personas to server slots reads it. */
  persona?: Persona;
}

/** The chat request for `messages` under `options`, without keys for options left unset. */
export function chatRequest(messages: ChatRequest["messages"], options: TurnOptions): ChatRequest {
  const { maxTokens, temperature, timeoutMs, stallMs, signal, onToken, persona } = options;
  const request: ChatRequest = { messages, maxTokens, temperature, timeoutMs };
  if (stallMs !== undefined) request.stallMs = stallMs;
  if (signal !== undefined) request.signal = signal;
  if (onToken !== undefined) request.onToken = onToken;
  if (persona !== undefined) request.persona = persona;
  return request;
}
