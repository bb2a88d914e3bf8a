/**
 * A task's `test` check as expectations: the calls and the results they must give, one a line, instead
 * of test code a small model would copy into its program. Pure.
 *
 * @module
 */
import type { Example, Language, Task } from "../types.ts";
import { exampleCount, readTestExamples } from "../task/derive_checks.ts";

/** The examples a task's `test` check runs, when it is nothing but examples; undefined otherwise. */
export function testExpectations(task: Task): Example[] | undefined {
  if (task.derived) return task.derived.examples;
  if (task.checks.test === undefined) return undefined;
  const { examples, pure } = readTestExamples(task.checks.test, task.language);
  return pure ? examples : undefined;
}

/** One example as a line: `square(3) → 9`; undefined for setup the Coder need not see (imports). */
export function expectationLine(example: Example, language: Language): string | undefined {
  const [yes, no] = language === "python" ? ["True", "False"] : ["true", "false"];
  switch (example.kind) {
    case "setup":
      return /^(?:import|from)\s/.test(example.source) ? undefined : `given: ${oneLine(example.source)}`;
    case "equal":
      return `${oneLine(example.actual)} → ${oneLine(example.expected)}`;
    case "true":
      return `${oneLine(example.condition)} → ${example.negated ? no : yes}`;
    case "shows":
      return example.output.includes("\n")
        ? `${oneLine(example.source)} → shows:\n${
          example.output.split("\n").map((l) => `    ${l}`).join("\n")
        }`
        : `${oneLine(example.source)} → ${example.output}`;
    case "raises":
      return `${oneLine(example.source)} → raises ${example.error}`;
    default: {
      const never: never = example;
      return never;
    }
  }
}

/** The expectation lines of `examples`, setup the Coder need not see left out. */
export function expectationLines(examples: readonly Example[], language: Language): string[] {
  return examples.flatMap((example) => expectationLine(example, language) ?? []);
}

/** The sentence that says factory runs the examples itself, per language. */
export const RUNS_ITSELF: Record<Language, string> = {
  python: "factory imports the program and checks these itself, so the program must not contain them " +
    '(no asserts, tests or doctest). Define the functions at the top level; put any demo under `if __name__ == "__main__":`.',
  typescript: "factory imports the program and checks these itself, so the program must not contain them " +
    "(no asserts or tests). Export the functions; put any demo under `if (import.meta.main)`.",
};

/** How many examples, in words: `4 examples`. */
export function examplesWord(examples: readonly Example[]): string {
  const count = exampleCount(examples);
  return `${count} example${count === 1 ? "" : "s"}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
