/**
 * Safe task names: lowercase ASCII letters, digits and single dashes, never empty and never a path.
 *
 * @module
 */

/** The longest slug {@linkcode slugify} returns. */
export const MAX_SLUG_LENGTH = 48;

/** The slug used when nothing usable is left of the input. */
export const FALLBACK_SLUG = "task";

/** Every slug matches this. */
export const SLUG_PATTERN: RegExp = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Only this much of the input is looked at, so huge inputs cost nothing. */
const MAX_INPUT = 1024;

/**
 * Turns any text into a safe name: accents are dropped (`Café` → `cafe`), every run of other
 * characters becomes one dash, and the result is cut at a dash to at most 48 characters. Separators
 * and dots can never survive, so `../../x` gives `x` and `/etc/passwd` gives `etc-passwd`; when
 * nothing is left (`..`, `日本`, ``) the result is `task`. The result always matches
 * {@linkcode SLUG_PATTERN}.
 */
export function slugify(text: string): string {
  const ascii = text.slice(0, MAX_INPUT)
    .normalize("NFKD")
    .toLowerCase()
    .replace(/\p{M}+/gu, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return cut(ascii) || FALLBACK_SLUG;
}

/** Cuts a slug to the length limit, at the last dash that fits when there is one. */
function cut(slug: string): string {
  if (slug.length <= MAX_SLUG_LENGTH) return slug;
  const head = slug.slice(0, MAX_SLUG_LENGTH + 1);
  const dash = head.lastIndexOf("-");
  const kept = dash > 0 ? head.slice(0, dash) : slug.slice(0, MAX_SLUG_LENGTH);
  return kept.replace(/-+$/, "");
}

/** The slug of the first few words of a text: a name for a free-text task. */
export function slugFromWords(text: string, words = 6): string {
  return slugify(text.trim().split(/\s+/).slice(0, words).join(" "));
}
