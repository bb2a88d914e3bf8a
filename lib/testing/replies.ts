/**
 * Builders of model replies for tests: a `ModelReply` value, and the texts a Coder and a Sheriff
 * write when they follow their formats.
 *
 * @module
 */
import type { FinishReason, Language, ModelReply, Usage } from "../types.ts";

/**
 * A finished model reply: `usage` defaults to 100 prompt and 50 completion tokens as reported by the
 * server (not estimated, none cached), and the call took 5 ms.
 */
export function reply(
  text: string,
  finishReason: FinishReason = "stop",
  usage: Partial<Usage> = {},
): ModelReply {
  return {
    text,
    finishReason,
    usage: { promptTokens: 100, completionTokens: 50, cachedTokens: 0, estimated: false, ...usage },
    ms: 5,
  };
}

/** A Coder reply holding one fenced program in `language` (the program is what the loop runs). */
export function coderReply(code: string, language: Language | string = "python"): string {
  return `Here is the program.\n\n\`\`\`${language}\n${code}\n\`\`\`\n`;
}

/** A Sheriff reply in the strict `VERDICT` / `ANALYSIS` / `FIX` format the loop parses. */
export function sheriffReply(verdict: "PASS" | "FAIL", analysis = "Looks right.", fix = "none"): string {
  return `VERDICT: ${verdict}\nANALYSIS: ${analysis}\nFIX: ${fix}\n`;
}
