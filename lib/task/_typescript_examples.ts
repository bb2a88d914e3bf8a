/**
 * TypeScript examples in a text: `assertEquals(actual, expected)` calls (and `assertStrictEquals`,
 * node's `assert.equal` family) and `add(2, 3) // => 5` comments. Pure.
 *
 * @module
 */
import type { Example } from "../types.ts";
import { hasCall, isBalanced, looksLikeProse, splitComment, splitTopLevel } from "./_code_scan.ts";
import { indentOf, regionsOf } from "./_regions.ts";
import { type Statement, statementsOf } from "./_statements.ts";
import type { Scan } from "./_python_examples.ts";

const ASSERT_CALL =
  /^(?:assertEquals|assertStrictEquals|assert\.(?:equal|strictEqual|deepEqual|deepStrictEqual))\s*\(/;

/**
 * Finds the examples in `text`, with the same rules as for Python: on their own in prose, and in a code
 * block only when the block holds nothing but examples, imports and declarations.
 */
export function typescriptExamples(text: string, program: boolean): Scan {
  const lines = text.split(/\r?\n/);
  const scan: Scan = { found: [], other: 0 };
  for (const region of regionsOf(lines)) {
    if (region.kind === "prose" && !program) {
      region.lines.forEach((_line, i) => {
        for (const example of proseExamples(region.lines, i)) {
          scan.found.push({ line: region.start + i, example });
        }
      });
      continue;
    }
    const statements = statementsOf(region, "typescript", new Set());
    const read = statements.map((statement) => readStatement(statement));
    const strangers = read.filter((r) => r === "other").length;
    scan.other += strangers;
    if (strangers > 0 && !program) continue;
    read.forEach((r, i) => {
      if (typeof r === "object") scan.found.push({ line: statements[i].line, example: r });
    });
  }
  return scan;
}

function readStatement(statement: Statement): Example | "skip" | "other" {
  const { text } = statement;
  if (statement.indent > 0 || !statement.complete) return "other";
  if (/^import\s/.test(text) || /^["']use strict["'];?$/.test(text)) return "skip";
  const example = assertEqualsExample(text) ?? arrowExample(text);
  if (example) return example;
  if (/^(?:const|let|var)\s+[\w$[\]{},\s]+=/.test(text)) {
    return { kind: "setup", source: stripSemicolon(text) };
  }
  return "other";
}

/** `assertEquals(actual, expected[, message]);` as an `equal` example. */
function assertEqualsExample(text: string): Example | undefined {
  const call = ASSERT_CALL.exec(text);
  if (!call) return undefined;
  const body = stripSemicolon(text).slice(call[0].length);
  if (!body.endsWith(")")) return undefined;
  const args = splitTopLevel(body.slice(0, -1), "typescript");
  if (args.length < 2 || args.length > 3 || !hasCall(args[0], "typescript")) return undefined;
  return { kind: "equal", actual: args[0], expected: args[1] };
}

/** `add(2, 3) // => 5` (or `console.log(add(2, 3)); // => 5`) as a `shows` example. */
function arrowExample(text: string): Example | undefined {
  if (text.includes("\n")) return undefined;
  const { code, comment } = splitComment(text, "typescript");
  if (comment === undefined || !comment.startsWith("=>")) return undefined;
  const output = comment.slice(2).trim();
  let source = stripSemicolon(code);
  const logged = /^console\.log\(([\s\S]*)\)$/.exec(source);
  if (logged && splitTopLevel(logged[1], "typescript").length === 1) source = logged[1].trim();
  if (output === "" || source === "" || !isBalanced(source, "typescript")) return undefined;
  if (!hasCall(source, "typescript") || looksLikeProse(source, "typescript")) return undefined;
  return { kind: "shows", source, output };
}

/** Examples on a prose line: a whole-line assert call or `// =>` line, and ones in inline code spans. */
function proseExamples(lines: readonly string[], i: number): Example[] {
  const line = lines[i];
  const examples: Example[] = [];
  for (const span of line.matchAll(/`([^`]+)`/g)) {
    const example = assertEqualsExample(span[1].trim()) ?? arrowExample(span[1].trim());
    if (example) examples.push(example);
  }
  const trimmed = line.trim();
  if (examples.length > 0 || trimmed.includes("`") || insideBlock(lines, i)) return examples;
  const whole = assertEqualsExample(trimmed) ?? arrowExample(trimmed);
  return whole ? [whole] : [];
}

/** True when the nearest less indented line above `lines[i]` opens a block (ends with `{`, `(` or `=>`). */
function insideBlock(lines: readonly string[], i: number): boolean {
  const indent = indentOf(lines[i]);
  for (let j = i - 1; j >= 0; j--) {
    if (lines[j].trim() === "" || indentOf(lines[j]) >= indent) continue;
    return /(?:\{|\(|=>)\s*$/.test(lines[j]);
  }
  return false;
}

function stripSemicolon(text: string): string {
  return text.trim().replace(/;$/, "").trim();
}
