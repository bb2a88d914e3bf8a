/**
 * Making model and program text safe to show on a terminal or in a prompt: every control character a
 * terminal or a model could act on is shown escaped instead. Pure.
 *
 * @module
 */

/**
 * C0 controls but tab and newline, DEL, C1 controls (U+0080–U+009F: 8-bit CSI, OSC, …) and the bidi
 * controls (marks, embeddings, overrides, isolates) that reorder what a line shows, and zero-width
 * characters that hide text.
 */
const UNPRINTABLE =
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** The same set, plus the line and paragraph separators JSON leaves raw, for JSON text. */
const JSON_RAW = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/**
 * `text` with carriage returns turned into line breaks (`\r\n` and a lone `\r` alike, so nothing can
 * overwrite a line already shown) and every other unprintable character shown escaped: `\x1b` for C0
 * and DEL, `\u009b` or `\u202e` for C1 and bidi controls. Tab and newline stay. Idempotent.
 */
export function printable(text: string): string {
  return text.replaceAll(/\r\n?/g, "\n").replaceAll(UNPRINTABLE, escapeChar);
}

function escapeChar(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x80
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * A copy of `value` with {@linkcode printable} applied to every string in it (plain objects and arrays,
 * any depth); other values are kept as they are. For events on their way to a terminal.
 */
export function printableDeep<T>(value: T): T {
  if (typeof value === "string") return printable(value) as T;
  if (Array.isArray(value)) return value.map(printableDeep) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, printableDeep(inner)])) as T;
  }
  return value;
}

/**
 * JSON text (as from `JSON.stringify`, which escapes C0 controls already) with DEL, C1, bidi controls and
 * U+2028/U+2029 written as `\uXXXX` escapes too: the same data, nothing raw for a terminal to act on.
 */
export function escapeJsonControls(json: string): string {
  return json.replaceAll(JSON_RAW, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
