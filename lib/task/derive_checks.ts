/**
 * Checks derived from the task itself: the examples written in a task's description become a `test`
 * check that factory runs after the program. Deterministic and pure: the same text always gives the same
 * examples and the same test program.
 *
 * What counts as an example (only the task's language is read):
 * - Python: doctest sessions anywhere, docstrings included (`>>> f(3)` and the expected output below it,
 *   or a traceback's exception name), `assert` statements, and `f(3)  # => 9` comments.
 * - TypeScript: `assertEquals(actual, expected)` (also `assertStrictEquals`, node's `assert.equal`,
 *   `strictEqual`, `deepEqual`, `deepStrictEqual`) and `add(2, 3) // => 5` comments.
 *
 * What is ignored: an example without its result (`>>> f(3)` with nothing below it), anything whose
 * brackets or strings never close, sentences that only start like code (`assert that the list is
 * sorted`), an expression without a call, and examples inside other code: an assert or `=>` comment in a
 * function body, or in a code block that also holds other statements (a block counts only when it is
 * nothing but examples, imports and assignments, which then run first as setup).
 *
 * @module
 */
import type { Example, Language, Task } from "../types.ts";
import { pythonExamples } from "./_python_examples.ts";
import { typescriptExamples } from "./_typescript_examples.ts";
import { ordered } from "./_statements.ts";
import { pythonTestProgram } from "./_python_test_program.ts";
import { typescriptTestProgram } from "./_typescript_test_program.ts";

/** Code with its strings and comments blanked out (same length), for pattern tests on code. */
export { codeOnly } from "./_code_scan.ts";

const SCANNERS = { python: pythonExamples, typescript: typescriptExamples } as const;

/** The examples in a task's description, in order, setup statements included. */
export function deriveExamples(description: string, language: Language): Example[] {
  return ordered(SCANNERS[language](description, false).found);
}

/** How many of `examples` are examples (setup statements are not). */
export function exampleCount(examples: readonly Example[]): number {
  return examples.filter((example) => example.kind !== "setup").length;
}

/**
 * Reads a test program as examples. `pure` is true when the program is nothing but examples, imports,
 * assignments and docstrings (so showing its examples says everything it checks).
 */
export function readTestExamples(code: string, language: Language): { examples: Example[]; pure: boolean } {
  const scan = SCANNERS[language](code, true);
  const examples = ordered(scan.found);
  return { examples, pure: scan.other === 0 && exampleCount(examples) > 0 };
}

/** The test program that checks `examples` against the program (`main.py` or `main.ts`). */
export function examplesTestProgram(examples: readonly Example[], language: Language): string {
  return language === "python" ? pythonTestProgram(examples) : typescriptTestProgram(examples);
}

/**
 * `task` with a `test` check written from the examples in its description, recorded in `derived`. The
 * task is returned unchanged when it already has a `test` check (the user's own test wins) or its
 * description holds no example.
 */
export function withDerivedChecks(task: Task): Task {
  if (task.checks.test !== undefined) return task;
  const examples = deriveExamples(task.description, task.language);
  if (exampleCount(examples) === 0) return task;
  return {
    ...task,
    checks: { ...task.checks, test: examplesTestProgram(examples, task.language) },
    derived: { from: "description", examples },
  };
}
