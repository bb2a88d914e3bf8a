/**
 * Python examples in a text: doctest sessions (`>>> f(3)` then `9`), `assert` statements and
 * `f(3)  # => 9` comments. Pure.
 *
 * @module
 */
import type { Example } from "../types.ts";
import { isBalanced } from "./_code_scan.ts";
import { indentOf, regionsOf } from "./_regions.ts";
import { type Located, type Statement, statementsOf } from "./_statements.ts";
import { arrowExample, assertExample, isSetup, isStringOnly } from "./_python_asserts.ts";
import { doctests } from "./_python_doctests.ts";

/** What a scan found: the examples with their lines, and how many statements were something else. */
export interface Scan {
  found: Located[];
  /** Statements that are neither examples nor setup (in a program: other code). */
  other: number;
}

/**
 * Finds the examples in `text`. In a description (`program: false`) doctest sessions count anywhere;
 * asserts and `# =>` comments count on their own in prose, and in a code block only when the block holds
 * nothing but examples, imports and assignments (an assert inside other code is that code's business).
 * In a program (a test file) every top-level statement is read and the others are counted.
 */
export function pythonExamples(text: string, program: boolean): Scan {
  const lines = text.split(/\r?\n/);
  const consumed = new Set<number>();
  const found = doctests(lines, consumed);
  let other = 0;
  for (const region of regionsOf(lines)) {
    if (region.kind === "prose" && !program) {
      found.push(...proseAsserts(region.lines, region.start, consumed));
      continue;
    }
    const statements = statementsOf(region, "python", consumed);
    const read = statements.map((statement) => readStatement(statement, program));
    const strangers = read.filter((r) => r === "other").length;
    other += strangers;
    if (strangers > 0 && !program) continue;
    read.forEach((r, i) => {
      if (typeof r === "object") found.push({ line: statements[i].line, example: r });
    });
  }
  return { found, other };
}

/** A statement as an example, setup, a neutral line ("skip"), or "other" code. */
function readStatement(statement: Statement, program: boolean): Example | "skip" | "other" {
  const { text } = statement;
  if (statement.indent > 0) return "other";
  if (/^assert\b/.test(text)) return assertExample(text) ?? (program ? "other" : "skip");
  if (!statement.complete) return program ? "other" : "skip";
  const arrow = arrowExample(text);
  if (arrow) return arrow;
  if (isSetup(text)) return { kind: "setup", source: text };
  if (/^(?:[rRuUbBfF]{0,2})("""|'''|"|')/.test(text) && isStringOnly(text)) return "skip";
  if (program && /^doctest\.\w+\(/.test(text)) return "skip";
  return "other";
}

/** Asserts and `# =>` lines standing alone in prose, and asserts in inline code spans. */
function proseAsserts(lines: readonly string[], start: number, consumed: ReadonlySet<number>): Located[] {
  const found: Located[] = [];
  lines.forEach((line, i) => {
    if (consumed.has(start + i)) return;
    for (const span of line.matchAll(/`(assert\s[^`]+)`/g)) {
      const example = assertExample(span[1]);
      if (example) found.push({ line: start + i, example });
    }
    if (!/^\s*assert\s/.test(line) || insideBlock(lines, i)) return;
    const parts = [line.trim()];
    for (
      let j = i + 1;
      !isBalanced(parts.join("\n"), "python") && j < lines.length && parts.length < 30;
      j++
    ) {
      parts.push(lines[j]);
    }
    const example = assertExample(parts.join("\n"));
    if (example) found.push({ line: start + i, example });
  });
  return found;
}

/** True when the nearest less indented line above `lines[i]` opens a Python block (`def f():`, `if x:`). */
function insideBlock(lines: readonly string[], i: number): boolean {
  const indent = indentOf(lines[i]);
  for (let j = i - 1; j >= 0; j--) {
    if (lines[j].trim() === "" || indentOf(lines[j]) >= indent) continue;
    return /^\s*(?:def|class|if|elif|else|for|while|with|try|except|finally|async)\b.*:\s*(?:#.*)?$/.test(
      lines[j],
    );
  }
  return false;
}
