/**
 * Counting words in messages: `1 attempt`, `3 attempts`.
 *
 * @module
 */

/** `n` and the word, in the singular for exactly one: `plural(1, "attempt")` is `1 attempt`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
