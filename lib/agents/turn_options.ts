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
  /** The call fails with a `ModelError` (reason "timeout") when this passes. */
  timeoutMs: number;
  /** Aborts the call; the turn then rejects with a `DOMException` "AbortError". */
  signal?: AbortSignal;
  /** Receives each streamed piece of the reply. */
  onToken?: (text: string) => void;
  /** Which persona's turn it is; a client pinning personas to server slots reads it. */
  persona?: Persona;
}

/** The chat request for `messages` under `options`, without keys for options left unset. */
export function chatRequest(messages: ChatRequest["messages"], options: TurnOptions): ChatRequest {
  const { maxTokens, temperature, timeoutMs, signal, onToken, persona } = options;
  const request: ChatRequest = { messages, maxTokens, temperature, timeoutMs };
  if (signal !== undefined) request.signal = signal;
  if (onToken !== undefined) request.onToken = onToken;
  if (persona !== undefined) request.persona = persona;
  return request;
}
