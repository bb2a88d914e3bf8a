/**
 * Folds the chunks of a streamed chat completion into one `ModelReply`. Reads the raw chunk objects
 * defensively, because OpenAI-compatible servers differ: llama-server adds a `timings` object and may put
 * usage on the chunk that carries the finish reason or on a trailing chunk with no choices.
 *
 * @module
 */

import type { ChatMessage, FinishReason, ModelReply, Usage } from "../types.ts";
import { estimateUsage } from "./usage.ts";

/** Token counts as the server reported them, before they become a `Usage`. */
interface ServerUsage {
  promptTokens: number;
  completionTokens: number;
  cachedTokens?: number;
}

/** llama-server's `timings` object, the fields we read. */
interface ServerTimings {
  promptN?: number;
  promptMs?: number;
  predictedN?: number;
  predictedMs?: number;
  cacheN?: number;
  /** Speculative decoding: tokens drafted and drafted tokens accepted. */
  draftN?: number;
  draftAccepted?: number;
}

/** Collects streamed chunks; `add` returns each text delta, `finish` builds the reply. */
export class ReplyAssembler {
  #pieces: string[] = [];
  #finishReason: string | undefined;
  #usage: ServerUsage | undefined;
  #timings: ServerTimings | undefined;
  #chunks = 0;

  /** How many chunks looked like chat completion chunks (an object with `choices` or `usage`). */
  get chunks(): number {
    return this.#chunks;
  }

  /** Whether any chunk carried a finish reason. */
  get finished(): boolean {
    return this.#finishReason !== undefined;
  }

  /** Reads one raw chunk; returns its text delta (possibly empty). Ignores chunks of an unknown shape. */
  add(raw: unknown): string {
    if (typeof raw !== "object" || raw === null) return "";
    const chunk = raw as { choices?: unknown; usage?: unknown; timings?: unknown };
    const usage = readUsage(chunk.usage);
    const timings = readTimings(chunk.timings);
    const choice = Array.isArray(chunk.choices) ? readChoice(chunk.choices[0]) : undefined;
    if (!Array.isArray(chunk.choices) && usage === undefined) return "";
    this.#chunks++;
    if (usage) this.#usage = usage;
    if (timings) this.#timings = timings;
    if (choice?.finishReason) this.#finishReason = choice.finishReason;
    if (choice?.text) this.#pieces.push(choice.text);
    return choice?.text ?? "";
  }

  /**
   * The finished reply. Usage comes from the server when it sent any, else it is estimated locally.
   * `finishReason` overrides the server's (a call stopped by a time limit).
   */
  finish(messages: readonly ChatMessage[], ms: number, finishReason?: FinishReason): ModelReply {
    const text = this.#pieces.join("");
    const reply: ModelReply = {
      text,
      finishReason: finishReason ?? toFinishReason(this.#finishReason),
      usage: this.#resolveUsage(messages, text),
      ms,
    };
    const t = this.#timings;
    if (t?.promptMs !== undefined && t.predictedMs !== undefined) {
      reply.timings = { prefillMs: t.promptMs, decodeMs: t.predictedMs };
      if (t.draftN !== undefined) {
        reply.timings.draftTokens = t.draftN;
        reply.timings.draftAccepted = t.draftAccepted ?? 0;
      }
    }
    return reply;
  }

  #resolveUsage(messages: readonly ChatMessage[], text: string): Usage {
    const usage = this.#usage;
    const timings = this.#timings;
    if (usage) {
      const cachedTokens = usage.cachedTokens ?? timings?.cacheN ?? 0;
      return {
        promptTokens: usage.promptTokens,
        completionTokens: usage.completionTokens,
        cachedTokens,
        estimated: false,
      };
    }
    if (timings?.promptN !== undefined && timings.predictedN !== undefined) {
      // llama-server: prompt_n counts the prompt tokens it evaluated, cache_n those it reused.
      const cachedTokens = timings.cacheN ?? 0;
      return {
        promptTokens: timings.promptN + cachedTokens,
        completionTokens: timings.predictedN,
        cachedTokens,
        estimated: false,
      };
    }
    return estimateUsage(messages, text);
  }
}

function readChoice(raw: unknown): { text: string; finishReason?: string } | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const { delta, finish_reason } = raw as { delta?: { content?: unknown }; finish_reason?: unknown };
  const content = typeof delta === "object" && delta !== null ? delta.content : undefined;
  return {
    text: typeof content === "string" ? content : "",
    finishReason: typeof finish_reason === "string" ? finish_reason : undefined,
  };
}

function readUsage(raw: unknown): ServerUsage | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const usage = raw as Record<string, unknown>;
  const promptTokens = numberOr(usage.prompt_tokens);
  const completionTokens = numberOr(usage.completion_tokens);
  if (promptTokens === undefined || completionTokens === undefined) return undefined;
  const details = usage.prompt_tokens_details as Record<string, unknown> | null | undefined;
  return { promptTokens, completionTokens, cachedTokens: numberOr(details?.cached_tokens) };
}

function readTimings(raw: unknown): ServerTimings | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const t = raw as Record<string, unknown>;
  return {
    promptN: numberOr(t.prompt_n),
    promptMs: numberOr(t.prompt_ms),
    predictedN: numberOr(t.predicted_n),
    predictedMs: numberOr(t.predicted_ms),
    cacheN: numberOr(t.cache_n),
    draftN: numberOr(t.draft_n),
    draftAccepted: numberOr(t.draft_n_accepted),
  };
}

function numberOr(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function toFinishReason(reason: string | undefined): FinishReason {
  return reason === "stop" || reason === "length" ? reason : "other";
}
