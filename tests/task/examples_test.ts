/**
 * Verifies the example tasks: each loads, its reference solution (tests/fixtures/reference/) passes
 * its checks when run with real python3, and a deliberately wrong variant fails them.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CheckResult, Checks, Task } from "../../lib/types.ts";
import { loadTaskFile } from "../../lib/task/load.ts";
import { requires } from "../_tier.ts";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));
const REFERENCE = fileURLToPath(new URL("../fixtures/reference/", import.meta.url));
const PYTHON = "python3";

async function python(args: string[], cwd: string): Promise<Deno.CommandOutput> {
  const command = new Deno.Command(PYTHON, {
    args,
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { PYTHONDONTWRITEBYTECODE: "1", PYTHONIOENCODING: "utf-8" },
  });
  return await command.output();
}

const PYTHON_NEEDED = requires("python3");
const hasNumpy = !PYTHON_NEEDED.ignore && (await python(["-c", "import numpy"], Deno.cwd())).success;
const hasScipy = !PYTHON_NEEDED.ignore && (await python(["-c", "import scipy.optimize"], Deno.cwd())).success;

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * A small stand-in for the real check evaluation (lib/sandbox/checks.ts), with its semantics: `stdout`
 * compares both sides trimmed, `stdout_matches` tests the trimmed stdout with no regex flags.
 */
async function evaluate(checks: Checks, stdout: string, dir: string): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  if (checks.stdout !== undefined) {
    const passed = stdout.trim() === checks.stdout.trim();
    results.push({ name: "stdout", passed, detail: passed ? "equal" : `got ${JSON.stringify(stdout)}` });
  }
  if (checks.stdoutContains !== undefined) {
    const missing = checks.stdoutContains.filter((text) => !stdout.includes(text));
    results.push({
      name: "stdout_contains",
      passed: missing.length === 0,
      detail: `missing ${missing.join(" | ")}`,
    });
  }
  if (checks.stdoutMatches !== undefined) {
    const passed = new RegExp(checks.stdoutMatches).test(stdout.trim());
    results.push({ name: "stdout_matches", passed, detail: checks.stdoutMatches });
  }
  if (checks.files !== undefined) {
    const missing = [];
    for (const file of checks.files) if (!(await exists(join(dir, file)))) missing.push(file);
    results.push({ name: "files", passed: missing.length === 0, detail: `missing ${missing.join(", ")}` });
  }
  if (checks.test !== undefined) {
    await Deno.writeTextFile(join(dir, "_check_test.py"), checks.test);
    const run = await python(["_check_test.py"], dir);
    results.push({ name: "test", passed: run.success, detail: new TextDecoder().decode(run.stderr).trim() });
  }
  return results;
}

/** Runs `source` as the task's program in a fresh temp dir, then its checks in the same dir. */
async function runAgainst(task: Task, source: string): Promise<{ stdout: string; results: CheckResult[] }> {
  const dir = await Deno.makeTempDir({ prefix: `factory_example_${task.name}_` });
  try {
    await Deno.writeTextFile(join(dir, "main.py"), source);
    const run = await python(["main.py"], dir);
    const stdout = new TextDecoder().decode(run.stdout);
    assert.ok(run.success, `the program failed: ${new TextDecoder().decode(run.stderr)}`);
    return { stdout, results: await evaluate(task.checks, stdout, dir) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A copy of `source` with one piece replaced; fails if the piece is not there. */
function variant(source: string, from: string, to: string): string {
  assert.ok(source.includes(from), `the reference no longer contains ${JSON.stringify(from)}`);
  return source.replace(from, to);
}

function failed(results: CheckResult[]): string[] {
  return results.filter((result) => !result.passed).map((result) => result.name).sort();
}

/**
 * A wrong program: the reference with one piece replaced (`from` → `to`), or a whole program of its own
 * in tests/fixtures/reference/ (`file`); `fails` are the checks it must fail.
 */
type Wrong =
  & { what: string; fails: string[]; needsScipy?: boolean }
  & ({ from: string; to: string } | { file: string });

interface Example {
  file: string;
  /** Which checks the example must carry. */
  checks: (keyof Checks)[];
  needsNumpy?: boolean;
  /** Wrong programs and the checks each must fail. */
  wrong: Wrong[];
}

async function wrongProgram(reference: string, wrong: Wrong): Promise<string> {
  if ("file" in wrong) return await Deno.readTextFile(join(REFERENCE, wrong.file));
  return variant(reference, wrong.from, wrong.to);
}

const EXAMPLE_LIST: Example[] = [
  {
    file: "fibonacci",
    checks: ["stdout"],
    wrong: [
      { what: "one number short", from: "range(20)", to: "range(19)", fails: ["stdout"] },
      { what: "starting at 1", from: "a, b = 0, 1", to: "a, b = 1, 1", fails: ["stdout"] },
    ],
  },
  {
    file: "calendar",
    checks: ["stdout"],
    wrong: [
      { what: "a broken title", from: '"%B"', to: '"%b"', fails: ["stdout"] },
      { what: "a title in the wrong year", from: "str(YEAR)", to: "str(YEAR - 1)", fails: ["stdout"] },
      {
        what: "trailing spaces after the title",
        from: "title.center(WIDTH).rstrip()",
        to: "title.center(WIDTH)",
        fails: ["stdout"],
      },
      { what: "Sunday first", from: "first.weekday()", to: "((first.weekday() + 1) % 7)", fails: ["stdout"] },
    ],
  },
  {
    file: "sales_report",
    checks: ["stdoutContains", "stdoutMatches", "files", "test"],
    wrong: [
      {
        what: "Total Records: 3",
        from: "range(1, 201)",
        to: "range(1, 4)",
        fails: ["stdout_contains", "stdout_matches", "test"],
      },
      {
        what: "money without thousands separators",
        from: 'f"${cents // 100:,}',
        to: 'f"${cents // 100}',
        fails: ["stdout_contains"],
      },
      {
        what: "a CSV that is not kept",
        from: 'print("Sales Report")',
        to: 'import os; os.remove("sales.csv"); print("Sales Report")',
        fails: ["files", "test"],
      },
    ],
  },
  {
    file: "logistic_regression",
    checks: ["stdoutMatches", "files", "test"],
    needsNumpy: true,
    wrong: [
      {
        what: "an untrained model claiming a good accuracy",
        from: 'print(f"Training accuracy: {accuracy:.3f}")',
        to: 'print("Training accuracy: 0.990"); w = w * 0; b = 0.0',
        fails: ["test"],
      },
      { what: "an untrained model", from: "range(3000)", to: "range(0)", fails: ["stdout_matches", "test"] },
      {
        what: "inverted weights",
        from: '{"w": [float(w[0]), float(w[1])], "b": b}',
        to: '{"w": [-float(w[0]), -float(w[1])], "b": -b}',
        fails: ["test"],
      },
    ],
  },
  {
    file: "neural_net",
    checks: ["stdoutMatches", "files", "test"],
    needsNumpy: true,
    wrong: [
      {
        what: "no hidden layer (logistic regression)",
        file: "neural_net_wrong/no_hidden_layer.py",
        fails: ["stdout_matches", "test"],
      },
      {
        what: "the tanh layer's gradient with the wrong sign",
        from: "dz1 = dh * (1 - h**2)",
        to: "dz1 = dh * (h**2 - 1)",
        fails: ["stdout_matches", "test"],
      },
      {
        what: "gradient ascent on the output layer",
        from: "W2 -= LEARNING_RATE * dW2",
        to: "W2 += LEARNING_RATE * dW2",
        fails: ["stdout_matches", "test"],
      },
      {
        what: "a library optimiser (scipy's L-BFGS) with the right gradients",
        file: "neural_net_wrong/library_optimiser.py",
        fails: ["test"],
        needsScipy: true,
      },
      {
        what: "a network that was not trained, printing a good result",
        from: 'print(f"Final loss: {loss_of(p):.4f}")\nprint(f"Training accuracy: {accuracy:.3f}")',
        to: 'print("Final loss: 0.0100")\nprint("Training accuracy: 1.000")\nW2 = W2 * 0',
        fails: ["test"],
      },
    ],
  },
];

for (const example of EXAMPLE_LIST) {
  Deno.test({
    name:
      `loadTaskFile() loads examples/${example.file}.yaml, whose reference passes and wrong programs fail`,
    ignore: PYTHON_NEEDED.ignore || (example.needsNumpy === true && !hasNumpy),
    fn: async (t) => {
      const task = await loadTaskFile(join(EXAMPLES, `${example.file}.yaml`));
      const reference = await Deno.readTextFile(join(REFERENCE, `${example.file}.py`));

      await t.step("the task is a python task with the expected checks", () => {
        assert.equal(task.language, "python");
        assert.equal(task.name, example.file.replaceAll("_", "-"));
        for (const key of example.checks) assert.ok(task.checks[key] !== undefined, `checks.${key}`);
      });
      await t.step("the reference solution passes every check", async () => {
        const { results } = await runAgainst(task, reference);
        assert.equal(results.length, Object.keys(task.checks).length);
        assert.deepEqual(results.filter((result) => !result.passed), []);
      });
      for (const wrong of example.wrong) {
        await t.step({
          name: `a wrong program fails: ${wrong.what}`,
          ignore: wrong.needsScipy === true && !hasScipy,
          fn: async () => {
            const { results } = await runAgainst(task, await wrongProgram(reference, wrong));
            assert.deepEqual(failed(results), [...wrong.fails].sort());
          },
        });
      }
    },
  });
}

Deno.test("examples/ holds only verified examples", async () => {
  const files = [];
  for await (const entry of Deno.readDir(EXAMPLES)) if (entry.name.endsWith(".yaml")) files.push(entry.name);
  assert.deepEqual(files.sort(), EXAMPLE_LIST.map((example) => `${example.file}.yaml`).sort());
});
