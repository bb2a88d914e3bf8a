/**
 * Imitation: a program that copies its task's checks into itself, or calls a test framework, instead of
 * just doing the task (a small Coder shown test code tends to paste it into its demo). Pure.
 *
 * @module
 */
import type { Example, Language, Task } from "../types.ts";
import { codeOnly, readTestExamples } from "../task/derive_checks.ts";

/** Test frameworks, as they appear in a program's code (strings and comments excluded). */
const FRAMEWORKS: Record<Language, readonly [RegExp, string][]> = {
  python: [
    [/\b(?:import|from)\s+(doctest|unittest|pytest)\b/, "imports $1"],
    [/\b(doctest|unittest|pytest)\s*\./, "calls $1"],
  ],
  typescript: [
    [/\bDeno\s*\.\s*test\s*\(/, "calls Deno.test"],
  ],
};

/** Imports of a TypeScript assert library, matched on the source (module names are strings). */
const TEST_LIBRARY =
  /^\s*import\b[^\n]*\bfrom\s*["'](?:jsr:@std\/(?:assert|testing)|node:assert|https?:\/\/deno\.land\/std[^"']*\/(?:assert|testing))/m;

/**
 * Why `code` imitates the checks of `task`, or undefined when it does not: it calls a test framework
 * (Python doctest, unittest or pytest; Deno.test or an assert library in TypeScript), or it contains the
 * code of the task's `test` check (one of its assert statements or `assertEquals` calls or, for a test
 * program that is more than examples, one of its lines). Doctest lines quoted in a docstring do not count:
 * they are documentation unless the program runs doctest, which counts as calling a test framework.
 */
export function imitation(
  code: string,
  task: Pick<Task, "language" | "checks" | "derived">,
): string | undefined {
  const language = task.language;
  const program = codeOnly(code, language);
  for (const [pattern, reason] of FRAMEWORKS[language]) {
    const match = pattern.exec(program);
    if (match) return reason.replace("$1", match[1] ?? "");
  }
  if (language === "typescript" && TEST_LIBRARY.test(code)) return "imports a test library";
  const test = task.checks.test;
  if (test === undefined) return undefined;
  const flat = squash(code);
  const read = task.derived
    ? { examples: task.derived.examples, pure: true }
    : readTestExamples(test, language);
  for (const example of read.examples) {
    const copied = statementsOf(example, language).find((statement) => flat.includes(squash(statement)));
    if (copied) return `contains the check's ${JSON.stringify(copied)}`;
  }
  if (read.pure) return undefined;
  const line = test.split("\n").map((l) => l.trim()).find((l) =>
    l.length >= 16 && !/^(?:import|from|#|\/\/)/.test(l) && flat.includes(squash(l))
  );
  return line === undefined ? undefined : `contains the check's line ${JSON.stringify(line)}`;
}

/** The ways an example is written as executable check code: an assert statement or an assertEquals call. */
function statementsOf(example: Example, language: Language): string[] {
  switch (example.kind) {
    case "equal":
      return language === "python"
        ? [`assert ${example.actual} == ${example.expected}`]
        : [`assertEquals(${example.actual}, ${example.expected})`];
    case "true":
      return [`assert ${example.negated ? "not " : ""}${example.condition}`];
    case "shows":
    case "raises":
    // A doctest line quoted in a docstring is documentation; running it would call doctest (see above).
    case "setup":
      return [];
    default: {
      const never: never = example;
      return never;
    }
  }
}

/** Text without whitespace, so spacing does not hide a copy. */
function squash(text: string): string {
  return text.replace(/\s+/g, "");
}
