/**
 * Golden files for the agents' prompts, under tests/golden/agents/. `UPDATE_GOLDEN=1` rewrites them.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { ChatMessage } from "../../lib/types.ts";

const GOLDEN_DIR = new URL("../golden/agents/", import.meta.url);

/** Asserts `actual` equals the golden file `name` (rewritten instead when UPDATE_GOLDEN=1). */
export async function assertGolden(name: string, actual: string): Promise<void> {
  const url = new URL(name, GOLDEN_DIR);
  if (Deno.env.get("UPDATE_GOLDEN") === "1") {
    await Deno.mkdir(GOLDEN_DIR, { recursive: true });
    await Deno.writeTextFile(url, actual);
    return;
  }
  let expected: string;
  try {
    expected = await Deno.readTextFile(url);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`Golden file is missing: run with UPDATE_GOLDEN=1 to write ${url.pathname}`);
    }
    throw error;
  }
  assert.equal(actual, expected, `${name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it)`);
}

/** Messages as text, one `=== role ===` header per message, for golden files. */
export function renderMessages(messages: readonly ChatMessage[]): string {
  return messages.map((message) => `=== ${message.role} ===\n${message.content}\n`).join("\n");
}
