/**
 * Markdown code fences that the text inside cannot close. Shared by the prompts (program text for the
 * model) and the Markdown views (program text for people). Pure.
 *
 * @module
 */

/** Length of the longest run of `char` (one character) in `text`. */
export function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    if (current > longest) longest = current;
  }
  return longest;
}

/**
 * Wraps `text` in a backtick fence longer than any backtick run inside it (at least three), so no line
 * of the text can close the fence. `info` is the info string after the opening fence (a language tag).
 */
export function fence(text: string, info = ""): string {
  const ticks = "`".repeat(Math.max(3, longestRun(text, "`") + 1));
  const body = text === "" || text.endsWith("\n") ? text : `${text}\n`;
  return `${ticks}${info}\n${body}${ticks}`;
}
