/**
 * Bounding variable text for prompts: keep the head and the tail, and say how much was cut out. Pure.
 *
 * @module
 */

/** How {@linkcode excerpt} shortens a text. */
export interface ExcerptOptions {
  /** Share of the kept characters taken from the start; the rest come from the end. @default {0.5} */
  headShare?: number;
  /** The line put where the middle was cut out. @default {defaultMarker} */
  marker?: (omittedChars: number) => string;
}

/** How far a cut may move to land on a line break instead of mid-line. */
const SNAP_CHARS = 80;

/** The default line that replaces an omitted middle. */
export function defaultMarker(omittedChars: number): string {
  return `[... ${omittedChars} characters omitted ...]`;
}

/**
 * Returns `text` when it fits in `maxChars`, else its head and tail joined by a marker line, at most
 * `maxChars` long. Cuts prefer line breaks and never split a surrogate pair. Returns "" when not even the
 * marker fits.
 */
export function excerpt(text: string, maxChars: number, options: ExcerptOptions = {}): string {
  if (text.length <= maxChars) return text;
  const { headShare = 0.5, marker = defaultMarker } = options;
  const markerChars = marker(text.length).length + 2;
  const keep = maxChars - markerChars;
  if (keep <= 0) return "";
  const head = cutHead(text, Math.floor(keep * headShare));
  const tail = cutTail(text, keep - head.length);
  const omitted = text.length - head.length - tail.length;
  return [head, marker(omitted), tail].filter((part) => part !== "").join("\n");
}

/**
 * Renders the longest excerpt of `text` whose rendering fits in `maxChars` (found by binary search), or
 * the rendering of "" when none does. Use it when the rendering's size depends on the excerpt: a fence
 * grows with the backtick runs inside it.
 */
export function fitExcerpt(
  text: string,
  maxChars: number,
  render: (part: string) => string,
  options: ExcerptOptions = {},
): string {
  const fits = (size: number) => render(excerpt(text, size, options)).length <= maxChars;
  let low = 0;
  let high = Math.min(maxChars, text.length);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return render(excerpt(text, low, options));
}

/** Cuts `text` to one line of at most `maxChars`, line breaks shown as "⏎". */
export function oneLine(text: string, maxChars: number): string {
  const flat = text.replace(/\r?\n/g, " ⏎ ").trim();
  if (flat.length <= maxChars) return flat;
  return `${cutHead(flat, maxChars - 1)}…`;
}

/**
 * Joins lines while they fit in `maxChars`; the rest are replaced by a "… and N more" line (which is
 * counted in the budget).
 */
export function boundedLines(lines: readonly string[], maxChars: number): string {
  const kept: string[] = [];
  let used = 0;
  for (const [index, line] of lines.entries()) {
    const rest = lines.length - index - 1;
    const reserve = rest > 0 ? `\n… and ${rest} more`.length : 0;
    if (used + line.length + 1 + reserve > maxChars) {
      kept.push(`… and ${lines.length - index} more`);
      break;
    }
    kept.push(line);
    used += line.length + 1;
  }
  return kept.join("\n");
}

/** The first `size` characters of `text`, ending at a line break when one is near. */
function cutHead(text: string, size: number): string {
  if (size <= 0) return "";
  let end = size;
  const lineEnd = text.lastIndexOf("\n", end - 1);
  if (lineEnd >= 0 && end - lineEnd <= SNAP_CHARS && lineEnd > 0) end = lineEnd;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return text.slice(0, end);
}

/** The last `size` characters of `text`, starting after a line break when one is near. */
function cutTail(text: string, size: number): string {
  if (size <= 0) return "";
  let start = text.length - size;
  const lineStart = text.indexOf("\n", start);
  if (lineStart >= 0 && lineStart - start < SNAP_CHARS && lineStart + 1 < text.length) start = lineStart + 1;
  if (isLowSurrogate(text.charCodeAt(start))) start += 1;
  return text.slice(start);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
