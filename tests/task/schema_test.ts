import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors.ts";
import { isSafeRelativePath, MAX_DESCRIPTION_LENGTH, parseTask } from "../../lib/task/schema.ts";

const LABEL = "Invalid task file t.yaml";

function rejects(data: unknown): string {
  try {
    parseTask(data, { label: LABEL });
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
    assert.ok(!error.message.includes("\n"), "one line");
    return error.message;
  }
  assert.fail(`accepted ${JSON.stringify(data).slice(0, 200)}`);
}

Deno.test("parseTask() fills defaults for a minimal task", () => {
  assert.deepEqual(
    parseTask({ description: "  Print hello.\n" }, { label: LABEL, fallbackName: "Hello World" }),
    {
      name: "hello-world",
      description: "Print hello.",
      constraints: [],
      language: "python",
      checks: {},
    },
  );
});

Deno.test("parseTask() maps every key to the Task type", () => {
  const task = parseTask({
    name: "Word Count",
    description: "Count words.",
    constraints: ["No imports."],
    language: "typescript",
    max_attempts: 3,
    timeout: 2.5,
    checks: {
      stdout: "42\n",
      stdout_contains: ["4", "2"],
      stdout_matches: "^\\d+$",
      files: ["out/a.txt", "./b.txt"],
      test: "Deno.exit(0)",
    },
  }, { label: LABEL, fallbackName: "ignored" });
  assert.deepEqual(task, {
    name: "word-count",
    description: "Count words.",
    constraints: ["No imports."],
    language: "typescript",
    maxAttempts: 3,
    timeoutSec: 2.5,
    checks: {
      stdout: "42\n",
      stdoutContains: ["4", "2"],
      stdoutMatches: "^\\d+$",
      files: ["out/a.txt", "./b.txt"],
      test: "Deno.exit(0)",
    },
  });
});

Deno.test("parseTask() names the task from its description when nothing else names it", () => {
  const task = parseTask({ description: "Sort the numbers in data.txt and print them" }, { label: LABEL });
  assert.equal(task.name, "sort-the-numbers-in-data-txt-and", "the first six words");
});

Deno.test("parseTask() rejects invalid tasks naming the key", async (t) => {
  const cases: [string, unknown, string][] = [
    ["no description", { name: "x" }, "description: missing, expected a non-empty string"],
    ["a blank description", { description: " \n " }, 'description: expected a non-empty string, got " \\n "'],
    [
      "a description over the limit",
      { description: "x".repeat(MAX_DESCRIPTION_LENGTH + 1) },
      `description: expected at most ${MAX_DESCRIPTION_LENGTH} characters, got ${MAX_DESCRIPTION_LENGTH + 1}`,
    ],
    ["an unknown key", { description: "x", retries: 3 }, "retries: unknown key"],
    [
      "an unknown check",
      { description: "x", checks: { stdout_contain: ["a"] } },
      "checks.stdout_contain: unknown key",
    ],
    [
      "a wrong type",
      { description: "x", max_attempts: "five" },
      'max_attempts: expected an integer >= 1, got "five"',
    ],
    ["zero timeout", { description: "x", timeout: 0 }, "timeout: expected a number of seconds > 0, got 0"],
    [
      "an unknown language",
      { description: "x", language: "rust" },
      'language: expected one of python, typescript, got "rust"',
    ],
    [
      "constraints as text",
      { description: "x", constraints: "be nice" },
      'constraints: expected a list, got "be nice"',
    ],
    [
      "a bad regex",
      { description: "x", checks: { stdout_matches: "hel(lo" } },
      "checks.stdout_matches: not a valid regular expression: /hel(lo/: Unterminated group",
    ],
    [
      "an absolute path",
      { description: "x", checks: { files: ["ok", "/etc/passwd"] } },
      'checks.files[1]: expected a relative path inside the work dir, got "/etc/passwd"',
    ],
    [
      "a .. segment",
      { description: "x", checks: { files: ["a/../../b"] } },
      'checks.files[0]: expected a relative path inside the work dir, got "a/../../b"',
    ],
    [
      "an empty contains string",
      { description: "x", checks: { stdout_contains: [""] } },
      'checks.stdout_contains[0]: expected a non-empty string, got ""',
    ],
    ["a list at the top", ["description"], "expected a mapping, got a list"],
  ];
  for (const [what, data, detail] of cases) {
    await t.step(what, () => assert.equal(rejects(data), `${LABEL}: ${detail}`));
  }
});

Deno.test("isSafeRelativePath() accepts only paths inside the work dir", () => {
  for (const ok of ["a.txt", "out/a.csv", "./a", "a/./b", "..a", "a..b/c", "x/.../y"]) {
    assert.equal(isSafeRelativePath(ok), true, ok);
  }
  for (
    const bad of ["", " ", "/etc/passwd", "\\x", "C:\\x", "c:/x", "..", "../a", "a/..", "a\\..\\b", "a\0b"]
  ) {
    assert.equal(isSafeRelativePath(bad), false, JSON.stringify(bad));
  }
});

Deno.test("parseTask() derives a test check from the description's examples", async (t) => {
  const description = "Write square(n).\n\n>>> square(3)\n9\n";
  await t.step("by default, recorded as derived", () => {
    const task = parseTask({ description }, { label: LABEL });
    assert.equal(task.derived?.from, "description");
    assert.deepEqual(task.derived?.examples, [{ kind: "shows", source: "square(3)", output: "9" }]);
    assert.match(task.checks.test ?? "", /import main as _factory_main/);
  });
  await t.step("not with checks.derive: false in the file", () => {
    const task = parseTask({ description, checks: { derive: false } }, { label: LABEL });
    assert.equal(task.derived, undefined);
    assert.deepEqual(task.checks, {});
  });
  await t.step("not with the derive option off (the --no-derive flag)", () => {
    const task = parseTask({ description }, { label: LABEL, derive: false });
    assert.equal(task.derived, undefined);
    assert.equal(task.checks.test, undefined);
  });
  await t.step("for the language the override sets", () => {
    const task = parseTask({ description: "assertEquals(add(1, 2), 3)", language: "python" }, {
      label: LABEL,
      languageOverride: "typescript",
    });
    assert.equal(task.language, "typescript");
    assert.match(task.checks.test ?? "", /import \* as __factoryMain from "\.\/main\.ts"/);
  });
  await t.step("checks.derive must be a boolean", () => {
    assert.equal(
      rejects({ description, checks: { derive: "no" } }),
      `${LABEL}: checks.derive: expected true or false, got "no"`,
    );
  });
});
