/**
 * Token estimates for servers that report no usage (run totals are in `lib/host/token_totals.ts`).
 *
 * @module
 */

import type { ChatMessage, Usage } from "../types.ts";

/** Tokens added per message for the chat template's role markers and separators. */
const MESSAGE_OVERHEAD_TOKENS = 4;

/** Roughly how many tokens a text holds: one per four characters, rounded up. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Roughly how many prompt tokens a message list costs, counting a little for each message's framing. */
export function estimateMessagesTokens(messages: readonly ChatMessage[]): number {
  let total = 0;
  for (const message of messages) total += estimateTokens(message.content) + MESSAGE_OVERHEAD_TOKENS;
  return total;
}

/** A usage estimated locally from the prompt and the reply text, marked `estimated: true`. */
export function estimateUsage(messages: readonly ChatMessage[], replyText: string): Usage {
  return {
    promptTokens: estimateMessagesTokens(messages),
    completionTokens: estimateTokens(replyText),
    cachedTokens: 0,
    estimated: true,
  };
}
