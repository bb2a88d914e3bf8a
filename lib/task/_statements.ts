/**
 * Statements of a code region: lines joined while brackets or strings stay open. Pure.
 *
 * @module
 */
import type { Example, Language } from "../types.ts";
import { isBalanced } from "./_code_scan.ts";
import { indentOf, minIndent, type Region } from "./_regions.ts";

/** The most lines one statement may span. */
const MAX_STATEMENT_LINES = 30;

/** One statement of a region. */
export interface Statement {
  /** The index of its first line among the text's lines. */
  line: number;
  /** Its text, lines joined with line breaks, the region's indentation removed. */
  text: string;
  /** Its indentation beyond the region's. */
  indent: number;
  /** False when its brackets or strings never closed. */
  complete: boolean;
}

/** An example found at a line of the text. */
export interface Located {
  line: number;
  example: Example;
}

/** The statements of `region`, skipping blank lines, comment-only lines and lines in `consumed`. */
export function statementsOf(region: Region, language: Language, consumed: ReadonlySet<number>): Statement[] {
  const base = minIndent(region.lines);
  const comment = language === "python" ? "#" : "//";
  const statements: Statement[] = [];
  let i = 0;
  while (i < region.lines.length) {
    const raw = region.lines[i];
    const line = region.start + i;
    if (consumed.has(line) || raw.trim() === "" || raw.trim().startsWith(comment)) {
      i++;
      continue;
    }
    const parts = [raw.slice(base)];
    let j = i + 1;
    while (
      !isBalanced(parts.join("\n"), language) && j < region.lines.length && parts.length < MAX_STATEMENT_LINES
    ) {
      parts.push(region.lines[j].slice(Math.min(base, indentOf(region.lines[j]))));
      j++;
    }
    const text = parts.join("\n").trimEnd();
    statements.push({
      line,
      text: text.trimStart(),
      indent: indentOf(text),
      complete: isBalanced(text, language),
    });
    i = j;
  }
  return statements;
}

/** Examples in line order, without repeats of the same example (setup statements are all kept). */
export function ordered(found: readonly Located[]): Example[] {
  const seen = new Set<string>();
  const examples: Example[] = [];
  for (const { example } of [...found].sort((a, b) => a.line - b.line)) {
    const key = JSON.stringify(example);
    if (example.kind !== "setup" && seen.has(key)) continue;
    seen.add(key);
    examples.push(example);
  }
  return examples;
}
