/**
 * Python examples in a text: doctest sessions (`>>> f(3)` then `9`), `assert` statements and
 * `f(3)  # => 9` comments. Pure.
 *
 * @module
 */
import type { Example } from "../types.ts";
import {
  codeOnly,
  hasCall,
  isBalanced,
  looksLikeProse,
  scanCode,
  splitComment,
  splitTopLevel,
  topLevelEquals,
} from "./_code_scan.ts";
import { indentOf, regionsOf } from "./_regions.ts";
import { type Located, type Statement, statementsOf } from "./_statements.ts";

/** What a scan found: the examples with their lines, and how many statements were something else. */
export interface Scan {
  found: Located[];
  /** Statements that are neither examples nor setup (in a program: other code). */
  other: number;
}

const PROMPT = /^(\s*)>>>(?: (.*)|$)/;

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

/** Imports and plain assignments: what the examples may need first. */
function isSetup(text: string): boolean {
  if (
    /^(?:import\s+[\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*|from\s+[\w.]+\s+import\s+.+)$/
      .test(text)
  ) {
    return true;
  }
  return /^[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*\s*=(?!=)/.test(codeOnly(text, "python")) &&
    !looksLikeProse(text.slice(text.indexOf("=") + 1), "python");
}

function isStringOnly(text: string): boolean {
  return codeOnly(text, "python").replace(/^[rRuUbBfF]{0,2}/, "").trim() === "";
}

/** `assert <condition>[, message]` as an example, or undefined when it is incomplete or not code. */
export function assertExample(statement: string): Example | undefined {
  let rest = statement.replace(/^assert\b/, "").trim().replace(/;$/, "");
  if (/[^\d\s]\.$/.test(rest)) rest = rest.slice(0, -1); // the full stop of a sentence
  if (!isBalanced(rest, "python")) return undefined;
  const condition = splitTopLevel(rest, "python")[0] ?? "";
  if (condition === "" || !hasCall(condition, "python") || looksLikeProse(condition, "python")) {
    return undefined;
  }
  const negated = /^not\s/.test(condition) && !hasLowPrecedence(condition.slice(4));
  if (negated) return { kind: "true", condition: condition.slice(4).trim(), negated: true };
  const at = topLevelEquals(condition, "python");
  if (at !== -1) {
    const [actual, expected] = [condition.slice(0, at).trim(), condition.slice(at + 2).trim()];
    if (actual !== "" && expected !== "" && !hasLowPrecedence(actual) && !hasLowPrecedence(expected)) {
      return { kind: "equal", actual, expected };
    }
  }
  return { kind: "true", condition, negated: false };
}

/** True when `side` holds, outside brackets, an operator that binds less tightly than `==`. */
function hasLowPrecedence(side: string): boolean {
  const top = topLevelText(side);
  return /\b(?:and|or|not|if|else|lambda|in|is)\b|[<>]|!=|==/.test(top);
}

/** `text` with everything inside brackets, strings and comments blanked out. */
function topLevelText(text: string): string {
  const chars: string[] = text.split("").map(() => " ");
  scanCode(text, "python", (i, depth) => {
    if (depth === 0 && !"([{".includes(text[i])) chars[i] = text[i];
  });
  return chars.join("");
}

/** `f(3)  # => 9` as a `shows` example. */
function arrowExample(text: string): Example | undefined {
  if (text.includes("\n")) return undefined;
  const { code, comment } = splitComment(text, "python");
  if (comment === undefined || !comment.startsWith("=>")) return undefined;
  const output = comment.slice(2).trim();
  if (output === "" || !isBalanced(code, "python") || !hasCall(code, "python")) return undefined;
  if (looksLikeProse(code, "python")) return undefined;
  return { kind: "shows", source: code.replace(/;$/, ""), output };
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

/** Doctest sessions anywhere in `lines`; marks the lines they use in `consumed`. */
function doctests(lines: readonly string[], consumed: Set<number>): Located[] {
  const found: Located[] = [];
  for (let i = 0; i < lines.length; i++) {
    const prompt = PROMPT.exec(lines[i]);
    if (!prompt) continue;
    const indent = prompt[1].length;
    const start = i;
    const source = [prompt[2] ?? ""];
    const continuation = new RegExp(`^\\s{${indent}}\\.\\.\\.(?: (.*)|$)`);
    let next: RegExpExecArray | null;
    while (i + 1 < lines.length && (next = continuation.exec(lines[i + 1]))) {
      source.push(next[1] ?? "");
      i++;
    }
    const output: string[] = [];
    while (i + 1 < lines.length && isOutputLine(lines[i + 1], indent)) {
      const text = lines[i + 1].slice(indent);
      const closing = /^(.*?)("""|''')\s*$/.exec(text);
      i++;
      if (closing) {
        if (closing[1].trim() !== "") output.push(closing[1].trimEnd());
        break;
      }
      output.push(text.trimEnd() === "<BLANKLINE>" ? "" : text.trimEnd());
    }
    for (let line = start; line <= i; line++) consumed.add(line);
    const example = doctestExample(source.join("\n").trim(), output);
    if (example) found.push({ line: start, example });
  }
  return found;
}

function isOutputLine(line: string, indent: number): boolean {
  const trimmed = line.trim();
  if (trimmed === "" || indentOf(line) < indent) return false;
  return !trimmed.startsWith(">>>") && !/^("""|''')/.test(trimmed) && !/^(`{3,}|~{3,})/.test(trimmed);
}

/** One doctest example: a `shows` or `raises` example, setup, or undefined when it is incomplete. */
function doctestExample(source: string, output: string[]): Example | undefined {
  if (source === "" || !isBalanced(source, "python")) return undefined;
  if (output.length === 0) {
    if (/^assert\b/.test(source)) return assertExample(source);
    if (isSetup(source) || /^(?:def|class)\s/.test(source)) return { kind: "setup", source };
    return undefined; // an example without its result
  }
  if (looksLikeProse(source, "python")) return undefined;
  if (output[0].startsWith("Traceback (most recent call last)")) {
    const last = output.at(-1) ?? "";
    const error = /^([A-Za-z_][\w.]*)(?::|$)/.exec(last.trim())?.[1].split(".").at(-1);
    return error ? { kind: "raises", source, error } : undefined;
  }
  return { kind: "shows", source, output: output.join("\n") };
}
