/**
 * The task as both personas read it: name, language, description, constraints and the visible checks.
 * Pure; the text is the same in every turn so the model server can reuse its prompt cache.
 *
 * @module
 */
import type { Checks, Example, Language, Task } from "../types.ts";
import { boundedLines, excerpt, fitExcerpt, oneLine } from "./excerpt.ts";
import { fence } from "../host/fence.ts";
import { expectationLines, RUNS_ITSELF, testExpectations } from "./_expectations.ts";

/** How each language is named in prompts. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  python: "Python 3",
  typescript: "TypeScript (Deno)",
};

/** The fence tag of each language. */
export const LANGUAGE_TAGS: Record<Language, string> = {
  python: "python",
  typescript: "typescript",
};

/** Describes `task` in at most `maxChars` characters. */
export function describeTask(task: Task, maxChars: number): string {
  const header = `# Task: ${oneLine(task.name, 80)}\nLanguage: ${LANGUAGE_NAMES[task.language]}`;
  const room = maxChars - header.length - 8;
  const parts = [
    header,
    excerpt(task.description.trim(), Math.floor(room * 0.45)),
    constraintsText(task.constraints, Math.floor(room * 0.15)),
    checksText(task.checks, task.language, Math.floor(room * 0.4), testExpectations(task)),
  ];
  return parts.filter((part) => part !== "").join("\n\n");
}

function constraintsText(constraints: readonly string[], maxChars: number): string {
  if (constraints.length === 0) return "";
  const title = "Constraints:";
  const lines = constraints.map((constraint) => `- ${oneLine(constraint, 200)}`);
  return `${title}\n${boundedLines(lines, maxChars - title.length - 1)}`;
}

/**
 * The checks as sentences, so the Coder knows exactly what is expected. A `test` check that is nothing
 * but examples is shown as its calls and expected results, one a line, never as test code to imitate.
 */
function checksText(
  checks: Checks,
  language: Language,
  maxChars: number,
  examples: Example[] | undefined,
): string {
  const title = "Checks run after the program (it must pass all of them):";
  // Each present check gets a share of the room by its weight, so a lone check gets all of it.
  const weights = {
    stdout: checks.stdout !== undefined ? 3 : 0,
    contains: checks.stdoutContains?.length ? 1.5 : 0,
    matches: checks.stdoutMatches !== undefined ? 1 : 0,
    files: checks.files?.length ? 1 : 0,
    test: checks.test !== undefined ? 3 : 0,
  };
  const total = Object.values(weights).reduce((a, b) => a + b, 0) || 1;
  const share = (key: keyof typeof weights) =>
    Math.floor((maxChars - title.length) * weights[key] / total) - 1;
  const items: string[] = [];
  if (checks.stdout !== undefined) {
    const intro = "- stdout (trimmed) must be exactly:\n";
    items.push(fitExcerpt(checks.stdout.trim(), share("stdout"), (part) => intro + fence(part, "text")));
  }
  if (checks.stdoutContains?.length) {
    const needles = checks.stdoutContains.map((needle) => JSON.stringify(needle)).join(", ");
    items.push(sentence("- stdout must contain each of: ", needles, share("contains")));
  }
  if (checks.stdoutMatches !== undefined) {
    const intro = "- stdout (trimmed) must match the JavaScript regex ";
    items.push(sentence(intro, `/${checks.stdoutMatches}/`, share("matches")));
  }
  if (checks.files?.length) {
    const intro = "- files the program must leave in its work directory: ";
    items.push(sentence(intro, checks.files.join(", "), share("files")));
  }
  if (checks.test !== undefined) items.push(testText(checks.test, examples, language, share("test")));
  if (items.length === 0) return "";
  return `${title}\n${items.join("\n")}`;
}

/** The `test` check: its examples as expectations when it is nothing but examples, else its code. */
function testText(
  test: string,
  examples: Example[] | undefined,
  language: Language,
  maxChars: number,
): string {
  if (examples !== undefined) {
    const intro = `- the program's functions must give these results; ${RUNS_ITSELF[language]}`;
    const lines = expectationLines(examples, language).map((line) => `  ${line}`);
    return `${intro}\n${boundedLines(lines, maxChars - intro.length - 1)}`;
  }
  const intro =
    "- then this test program runs beside a copy of your program (as main) and the files above, " +
    "and must run to its end and exit with code 0 (factory runs it itself after the program; do not copy " +
    "it into the program):\n";
  const tag = LANGUAGE_TAGS[language];
  return fitExcerpt(test.trim(), maxChars, (part) => intro + fence(part, tag));
}

/** `intro` followed by `value` on one line, at most `maxChars` in all. */
function sentence(intro: string, value: string, maxChars: number): string {
  return intro + oneLine(value, Math.max(20, maxChars - intro.length));
}
