/**
 * A small lexical scanner for Python and TypeScript snippets: enough to tell where strings and comments
 * are, how deep brackets nest, and where a top-level operator or comma is. Not a parser. Pure.
 *
 * @module
 */
import type { Language } from "../types.ts";

/** Where a scan ended. */
export interface ScanEnd {
  /** Open brackets left at the end. */
  depth: number;
  /** True when a string (or a block comment) was still open at the end. */
  open: boolean;
  /** True when a closing bracket had no opening one. */
  unmatched: boolean;
}

/**
 * Walks `text`, calling `onCode(index, depth)` for every character outside strings and comments (with the
 * bracket depth before it). `onCode` may return true to stop.
 */
export function scanCode(
  text: string,
  language: Language,
  onCode: (index: number, depth: number) => boolean | void = () => {},
): ScanEnd {
  let depth = 0;
  let unmatched = false;
  let i = 0;
  while (i < text.length) {
    const skipped = skipNonCode(text, i, language);
    if (skipped === -1) return { depth, open: true, unmatched };
    if (skipped > i) {
      i = skipped;
      continue;
    }
    if (onCode(i, depth) === true) return { depth, open: false, unmatched };
    const c = text[i];
    if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) {
      if (depth === 0) unmatched = true;
      else depth--;
    }
    i++;
  }
  return { depth, open: false, unmatched };
}

/** The index after a string or comment starting at `i`, `i` when none starts there, -1 when it never ends. */
function skipNonCode(text: string, i: number, language: Language): number {
  const c = text[i];
  if (language === "python" && c === "#") return lineEnd(text, i);
  if (language === "typescript" && text.startsWith("//", i)) return lineEnd(text, i);
  if (language === "typescript" && text.startsWith("/*", i)) {
    const end = text.indexOf("*/", i + 2);
    return end === -1 ? -1 : end + 2;
  }
  const quotes = language === "python" ? ["'''", '"""', "'", '"'] : ["'", '"', "`"];
  const quote = quotes.find((q) => text.startsWith(q, i));
  if (quote === undefined) return i;
  let j = i + quote.length;
  while (j < text.length) {
    if (text[j] === "\\") j += 2;
    else if (text.startsWith(quote, j)) return j + quote.length;
    else if (text[j] === "\n" && quote.length === 1 && quote !== "`") return -1;
    else j++;
  }
  return -1;
}

function lineEnd(text: string, i: number): number {
  const end = text.indexOf("\n", i);
  return end === -1 ? text.length : end;
}

/** True when every bracket and string in `text` is closed and no bracket closes one never opened. */
export function isBalanced(text: string, language: Language): boolean {
  const end = scanCode(text, language);
  return end.depth === 0 && !end.open && !end.unmatched;
}

/** Splits `text` at commas outside brackets, strings and comments; parts are trimmed, empty ones dropped. */
export function splitTopLevel(text: string, language: Language): string[] {
  const cuts: number[] = [];
  scanCode(text, language, (i, depth) => {
    if (depth === 0 && text[i] === ",") cuts.push(i);
  });
  const parts: string[] = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    parts.push(text.slice(from, cut).trim());
    from = cut + 1;
  }
  return parts.filter((part) => part !== "");
}

/**
 * The index of the first top-level comparison `==` in `text` (not part of `!=`, `<=`, `>=`, `===` or an
 * assignment), or -1.
 */
export function topLevelEquals(text: string, language: Language): number {
  let found = -1;
  scanCode(text, language, (i, depth) => {
    if (depth !== 0 || !text.startsWith("==", i)) return;
    const before = text[i - 1] ?? "";
    const after = text[i + 2] ?? "";
    if ("=!<>".includes(before) || after === "=") return;
    found = i;
    return true;
  });
  return found;
}

/** `text` with every string and comment replaced by spaces (same length), for pattern tests on code. */
export function codeOnly(text: string, language: Language): string {
  const chars: string[] = text.split("").map((c) => (c === "\n" ? "\n" : " "));
  scanCode(text, language, (i) => {
    chars[i] = text[i];
  });
  return chars.join("");
}

/** The code of a line and its trailing comment's text (after `#` or `//`), when it has one. */
export function splitComment(line: string, language: Language): { code: string; comment?: string } {
  const marker = language === "python" ? "#" : "//";
  const code = codeOnly(line, language);
  for (let i = 0; i < line.length; i++) {
    // A comment is where a marker was blanked out and no string was open before it.
    if (code[i] !== " " || !line.startsWith(marker, i) || scanCode(line.slice(0, i), language).open) continue;
    return { code: line.slice(0, i).trimEnd(), comment: line.slice(i + marker.length).trim() };
  }
  return { code: line };
}

/** Words that may stand next to another word in code. */
const KEYWORDS: Record<Language, ReadonlySet<string>> = {
  python: new Set([
    "and",
    "or",
    "not",
    "in",
    "is",
    "if",
    "else",
    "for",
    "lambda",
    "None",
    "True",
    "False",
    "await",
  ]),
  typescript: new Set(["new", "typeof", "instanceof", "in", "of", "await", "void", "as"]),
};

/** True when `expression` holds a call (`name(`) in its code. */
export function hasCall(expression: string, language: Language): boolean {
  return /[A-Za-z_$][\w$.]*\s*\(/.test(codeOnly(expression, language));
}

/**
 * True when `expression` reads like a sentence rather than code: two plain words side by side outside
 * strings (`that the`), where neither is a keyword of the language.
 */
export function looksLikeProse(expression: string, language: Language): boolean {
  const code = codeOnly(expression, language);
  for (const match of code.matchAll(/([A-Za-z_]\w*)\s+(?=([A-Za-z_]\w*))/g)) {
    const [left, right] = [match[1], match[2]];
    if (!KEYWORDS[language].has(left) && !KEYWORDS[language].has(right)) return true;
  }
  return false;
}
