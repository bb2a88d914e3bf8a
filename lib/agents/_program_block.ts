/**
 * A program fenced for a prompt, bounded. Pure.
 *
 * @module
 */
import type { Language } from "../types.ts";
import { fitExcerpt } from "./excerpt.ts";
import { fence } from "../host/fence.ts";
import { LANGUAGE_TAGS } from "./_describe_task.ts";

/** A program fenced with its language tag, its middle cut out (marked by a comment) when too long. */
export function programBlock(code: string, language: Language, maxChars: number): string {
  const comment = language === "python" ? "#" : "//";
  const marker = (omitted: number) => `${comment} [... ${omitted} characters omitted ...]`;
  const tag = LANGUAGE_TAGS[language];
  return fitExcerpt(code.trimEnd(), maxChars, (part) => fence(part, tag), { headShare: 0.6, marker });
}
