/**
 * Text from a program or a model made safe to print on a terminal: escape sequences, other control
 * characters and invisible direction overrides are shown as `\x1b`-style escapes (a lone carriage
 * return as `\r`) instead of acting on the terminal; line breaks and tabs stay. Pure.
 *
 * @module
 */

// C0 controls but tab and line feed, DEL, C1 controls; zero-width and bidirectional formatting marks.
// deno-lint-ignore no-control-regex
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** `text` with every character that could act on a terminal shown as an escape (`\x1b`, `\u202e`). */
export function terminalSafe(text: string): string {
  return text.replaceAll("\r\n", "\n").replace(UNSAFE, (c) => {
    if (c === "\r") return "\\r";
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
