/**
 * Helpers shared by the model client tests.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { ChatMessage, ChatRequest } from "../../lib/types.ts";

/** A short system + user conversation. */
export const MESSAGES: ChatMessage[] = [
  { role: "system", content: "You write Python programs." },
  { role: "user", content: "Print the first ten Fibonacci numbers." },
];

/** A chat request with test defaults (10 s timeout), overridable field by field. */
export function request(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return { messages: MESSAGES, maxTokens: 256, temperature: 0, timeoutMs: 10_000, ...overrides };
}

/** A port nobody listens on: bound, noted, and closed again. */
export function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** What the promise rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail("expected the call to fail");
}
