/**
 * Token totals of a run: the one place where model calls' usage is added up. Pure arithmetic on the
 * plain types, shared by the loop, the store (totals of an unfinished run) and the views.
 *
 * @module
 */
import type { TokenTotals, Usage } from "../types.ts";

/** Token totals before any model call. */
export const NO_TOKENS: Readonly<TokenTotals> = Object.freeze({
  prompt: 0,
  completion: 0,
  cached: 0,
  estimated: false,
});

/** Adds one call's usage to run totals, returning new totals. */
export function addUsage(totals: Readonly<TokenTotals>, usage: Usage): TokenTotals {
  return {
    prompt: totals.prompt + usage.promptTokens,
    completion: totals.completion + usage.completionTokens,
    cached: totals.cached + usage.cachedTokens,
    estimated: totals.estimated || usage.estimated,
  };
}

/** The totals of several calls' usage. */
export function sumUsage(usages: Iterable<Usage>): TokenTotals {
  let totals: TokenTotals = NO_TOKENS;
  for (const usage of usages) totals = addUsage(totals, usage);
  return { ...totals };
}

/** Prompt plus completion tokens of run totals: what counts against the token budget. */
export function totalTokens(totals: Readonly<TokenTotals>): number {
  return totals.prompt + totals.completion;
}
