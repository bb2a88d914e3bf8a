/**
 * The test programs written from examples, run for real (python3, Deno) the way the loop runs a `test`
 * check: the program first, then the check in the same work dir.
 */
import assert from "node:assert/strict";
import type { CheckResult, Language } from "../../lib/types.ts";
import { deriveExamples, examplesTestProgram } from "../../lib/task/derive_checks.ts";
import { execute } from "../../lib/sandbox/execute.ts";
import { runChecks } from "../../lib/sandbox/checks.ts";
import { tempDir } from "../sandbox/_temp_dir.ts";
import { requires } from "../_tier.ts";

const SANDBOX = requires("python3", "sandbox");

/** Runs `program`, then the test written from the examples in `text`; returns the run's exit code and the check. */
async function check(
  language: Language,
  text: string,
  program: string,
): Promise<{ code: number; test: CheckResult }> {
  await using dir = await tempDir();
  // The real sandbox: TypeScript is refused without one (its imports escape Deno's permissions).
  const options = { timeoutMs: 30_000 };
  const run = await execute({ language, code: program, dir: dir.path }, options);
  const test = examplesTestProgram(deriveExamples(text, language), language);
  const [result] = await runChecks({ test }, run, { ...options, dir: dir.path, language });
  return { code: run.kind === "exited" ? run.code : -1, test: result };
}

const PY_EXAMPLES = [
  ">>> square(3)",
  "9",
  ">>> print(square(2))",
  "4",
  ">>> pair(1)",
  "(1, 1)",
  ">>> divide(1, 0)",
  "Traceback (most recent call last):",
  "ZeroDivisionError: division by zero",
  "",
  "assert remove_occ('hello', 'l') == 'heo'",
  "assert not is_even(3)",
  "assert abs(area(1) - 3.14) < 0.01",
].join("\n");

const PY_RIGHT = `import math

def square(n):
    return n * n

def pair(x):
    return (x, x)

def divide(a, b):
    return a / b

def remove_occ(s, c):
    return s.replace(c, "", 1)[::-1].replace(c, "", 1)[::-1]

def is_even(n):
    return n % 2 == 0

def area(r):
    return math.pi * r * r

if __name__ == "__main__":
    print(square(4))
`;

Deno.test("the Python examples test", SANDBOX, async (t) => {
  await t.step("passes a right program, whose demo does not run on import", async () => {
    const { code, test } = await check(
      "python",
      PY_EXAMPLES,
      PY_RIGHT + "    raise SystemExit('the demo ran')\n",
    );
    assert.equal(code, 1, "the program's own demo runs when the program runs");
    assert.equal(test.passed, true, test.detail);
  });
  await t.step("names the first wrong example with expected and actual", async () => {
    const { test } = await check("python", PY_EXAMPLES, PY_RIGHT.replace("return n * n", "return n + n"));
    assert.equal(test.passed, false);
    assert.match(
      test.detail,
      /example 1 of 7 failed: square\(3\)\n {2}expected: 9\n {2}got: {6}6\n1 of 7 examples failed/,
    );
  });
  await t.step("reports an exception where a value was expected", async () => {
    const { test } = await check(
      "python",
      "assert remove_occ('hello', 'l') == 'heo'",
      "def remove_occ(s, c):\n    return s.remove(c)\n",
    );
    assert.match(
      test.detail,
      /expected: 'heo'\n {2}got: {6}error AttributeError: 'str' object has no attribute 'remove'/,
    );
  });
  await t.step("a missing function is a failure of that example, not a crash", async () => {
    const { test } = await check("python", ">>> square(3)\n9\n", "print('no functions here')\n");
    assert.match(test.detail, /got: {6}error NameError: name 'square' is not defined/);
  });
  await t.step("an expected exception that is not raised", async () => {
    const { test } = await check(
      "python",
      ">>> divide(1, 0)\nTraceback (most recent call last):\nZeroDivisionError: x\n",
      "def divide(a, b):\n    return 0\n",
    );
    assert.match(test.detail, /expected: raises ZeroDivisionError\n {2}got: {6}no exception/);
  });
  await t.step("a doctest value compares as the literal when its repr differs only in form", async () => {
    const { test } = await check("python", ">>> ratio(1, 2)\n0.50\n", "def ratio(a, b):\n    return a / b\n");
    assert.equal(test.passed, true, test.detail);
  });
});

const TS_EXAMPLES = [
  "```ts",
  "const xs = [1, 2];",
  "assertEquals(sum(xs), 3);",
  "assertEquals(pair(1), [1, 1]);",
  "add(1, 1) // => 2",
  "console.log(greet('a')); // => \"hi a\"",
  "```",
].join("\n");

const TS_RIGHT = `export function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
export const pair = (x: number) => [x, x];
export function add(a: number, b: number): number {
  return a + b;
}
export function greet(name: string): string {
  return "hi " + name;
}
if (import.meta.main) console.log(add(2, 2));
`;

Deno.test("the TypeScript examples test", SANDBOX, async (t) => {
  await t.step("passes a right program", async () => {
    const { code, test } = await check("typescript", TS_EXAMPLES, TS_RIGHT);
    assert.equal(code, 0);
    assert.equal(test.passed, true, test.detail);
  });
  await t.step("names the first wrong example with expected and actual", async () => {
    const { test } = await check(
      "typescript",
      TS_EXAMPLES,
      TS_RIGHT.replace("return a + b;", "return a - b;"),
    );
    assert.equal(test.passed, false);
    assert.match(test.detail, /example 3 of 4 failed: add\(1, 1\)\n {2}expected: 2\n {2}got: {6}0/);
  });
  await t.step("a function that is not exported fails its examples", async () => {
    const { test } = await check(
      "typescript",
      "assertEquals(add(1, 1), 2)",
      "function add(a: number, b: number) {\n  return a + b;\n}\n",
    );
    assert.match(test.detail, /got: {6}error ReferenceError: add is not defined/);
  });
});
