/**
 * Python doctest sessions in a text: `>>> f(3)` and the output below it, with continuation lines,
 * `<BLANKLINE>`, expected tracebacks and docstring endings. Pure.
 *
 * @module
 */
import type { Example } from "../types.ts";
import { isBalanced, looksLikeProse } from "./_code_scan.ts";
import { indentOf } from "./_regions.ts";
import type { Located } from "./_statements.ts";
import { assertExample, isSetup } from "./_python_asserts.ts";

const PROMPT = /^(\s*)>>>(?: (.*)|$)/;

/** Doctest sessions anywhere in `lines`; marks the lines they use in `consumed`. */
export function doctests(lines: readonly string[], consumed: Set<number>): Located[] {
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
