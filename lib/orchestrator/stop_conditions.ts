/**
 * The hard limits that end a run, checked by code before every attempt and every model call.
 *
 * @module
 */
import type { Attempt, Limits, StopReason, TokenTotals } from "../types.ts";
import { totalTokens } from "../host/token_totals.ts";
import { stagnationReason } from "./stagnation.ts";
import { plural } from "../host/plural.ts";

/** A reason to stop, with a sentence for people. */
export interface Stop {
  reason: StopReason;
  detail: string;
}

/** Smallest `max_tokens` worth asking for; below it the budget is treated as spent. */
export const MIN_TURN_TOKENS = 16;

/**
 * The slowest decoding a turn is allowed, in tokens per second: a turn's time cap leaves room for
 * `max_tokens` at this speed (a shared 2-core machine decodes the 1.5B model at a few tokens/s).
 */
export const FLOOR_TOKENS_PER_SEC = 2;

/**
 * The time cap of a model turn: the stall limit (`llm_timeout`, which also bounds the wait for the first
 * token) plus `maxTokens` at {@linkcode FLOOR_TOKENS_PER_SEC}. A turn that reaches it keeps what arrived.
 */
export function turnTimeCapMs(limits: Pick<Limits, "llmTimeoutMs">, maxTokens: number): number {
  return limits.llmTimeoutMs + Math.ceil((maxTokens / FLOOR_TOKENS_PER_SEC) * 1000);
}

/** The first stop condition that holds before a new attempt, if any. */
export function firstStop(
  limits: Limits,
  attempts: readonly Attempt[],
  tokens: TokenTotals,
  signal: AbortSignal | undefined,
): Stop | undefined {
  if (signal?.aborted) return { reason: "interrupted", detail: "Interrupted by the user" };
  const last = attempts.at(-1);
  if (last?.verdict.passed) return { reason: "passed", detail: `Passed on attempt ${last.number}` };
  if (attempts.length >= limits.maxAttempts) {
    return {
      reason: "max_attempts",
      detail: `No passing program after ${plural(attempts.length, "attempt")}`,
    };
  }
  const stagnant = stagnationReason(attempts, limits.stagnationThreshold);
  if (stagnant) return { reason: "stagnation", detail: `Stopped making progress: ${stagnant}` };
  return budgetStop(limits, tokens, 0);
}

/**
 * Stops when the tokens used plus a coming prompt leave no room for a useful reply. The detail says
 * which: the budget is spent, or what is left is too small for the next prompt (about
 * `promptEstimate` tokens) and a reply.
 */
export function budgetStop(limits: Limits, tokens: TokenTotals, promptEstimate: number): Stop | undefined {
  const used = totalTokens(tokens);
  const budget = limits.totalTokenBudget;
  if (budget - used - promptEstimate >= MIN_TURN_TOKENS) return undefined;
  const estimated = tokens.estimated ? " (partly estimated)" : "";
  if (budget - used < MIN_TURN_TOKENS || promptEstimate <= 0) {
    return {
      reason: "token_budget",
      detail: `Token budget spent: ${used} of ${budget} tokens used${estimated}`,
    };
  }
  return {
    reason: "token_budget",
    detail: `Stopped before the next model call: its prompt (about ${promptEstimate} tokens) and a reply ` +
      `would not fit the ${budget - used} tokens left of the budget (${used} of ${budget} used${estimated})`,
  };
}

/** `max_tokens` for the next call: the per-turn limit, cut to what the budget has left. */
export function turnTokens(limits: Limits, tokens: TokenTotals, promptEstimate: number): number {
  const left = limits.totalTokenBudget - totalTokens(tokens) - promptEstimate;
  return Math.max(MIN_TURN_TOKENS, Math.min(limits.maxTokensPerTurn, left));
}
