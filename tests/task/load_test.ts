import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../../lib/errors.ts";
import { loadTaskFile, taskFromText } from "../../lib/task/load.ts";
import { SLUG_PATTERN } from "../../lib/task/slug.ts";

const FIXTURES = fileURLToPath(new URL("../fixtures/tasks/", import.meta.url));
const fixture = (name: string) => join(FIXTURES, name);

async function configError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
  assert.ok(!error.message.includes("\n"), `one line: ${error.message}`);
  return error.message;
}

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "factory_task_test_" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("loadTaskFile() loads a task with every key", async () => {
  assert.deepEqual(await loadTaskFile(fixture("full.yaml")), {
    name: "word-count",
    description: "Count the words in words.txt and print the count.",
    constraints: ["Use only the standard library.", "Read the file in one pass."],
    language: "typescript",
    maxAttempts: 4,
    timeoutSec: 12.5,
    checks: {
      stdout: "42",
      stdoutContains: ["42"],
      stdoutMatches: "^\\d+$",
      files: ["words.txt", "out/count.txt", "./report.md"],
      test:
        'const text = await Deno.readTextFile("out/count.txt");\nif (text.trim() !== "42") Deno.exit(1);\n',
    },
  });
});

Deno.test("loadTaskFile() names a task without a name after its file", async () => {
  const task = await loadTaskFile(fixture("minimal.yaml"));
  assert.equal(task.name, "minimal");
  assert.equal(task.language, "python");
  assert.deepEqual(task.constraints, []);
  assert.deepEqual(task.checks, {});
});

Deno.test("loadTaskFile() slugs a hostile name", async () => {
  const task = await loadTaskFile(fixture("hostile_name.yaml"));
  assert.equal(task.name, "etc-passwd");
  assert.match(task.name, SLUG_PATTERN);
});

Deno.test("loadTaskFile() rejects a bad task file naming the file and the key", async (t) => {
  const cases: [string, string][] = [
    ["unknown_key.yaml", "checks.stdout_contain: unknown key"],
    ["wrong_type.yaml", 'max_attempts: expected an integer >= 1, got "five"'],
    ["bad_regex.yaml", "checks.stdout_matches: not a valid regular expression: /hel(lo/: Unterminated group"],
    [
      "absolute_file.yaml",
      'checks.files[1]: expected a relative path inside the work dir, got "/etc/passwd"',
    ],
    [
      "dotdot_file.yaml",
      'checks.files[0]: expected a relative path inside the work dir, got "out/../../secret.txt"',
    ],
  ];
  for (const [name, detail] of cases) {
    await t.step(name, async () => {
      const path = fixture(name);
      assert.equal(await configError(loadTaskFile(path)), `Invalid task file ${path}: ${detail}`);
    });
  }
});

Deno.test("loadTaskFile() rejects unreadable files with a clear message", async (t) => {
  await withTempDir(async (dir) => {
    await t.step("missing", async () => {
      const path = join(dir, "nope.yaml");
      assert.equal(await configError(loadTaskFile(path)), `Task file not found: ${path}`);
    });
    await t.step("invalid UTF-8", async () => {
      const path = join(dir, "latin1.yaml");
      await Deno.writeFile(
        path,
        new Uint8Array([...new TextEncoder().encode("description: caf"), 0xe9, 0x0a]),
      );
      assert.equal(
        await configError(loadTaskFile(path)),
        `Invalid task file ${path}: the file is not valid UTF-8 text`,
      );
    });
    await t.step("broken YAML", async () => {
      const path = join(dir, "broken.yaml");
      await Deno.writeTextFile(path, "description: [unclosed\n");
      assert.match(
        await configError(loadTaskFile(path)),
        new RegExp(`^Invalid task file ${path}: YAML error: `),
      );
    });
    await t.step("a 10 MB description, quickly", async () => {
      const path = join(dir, "huge.yaml");
      await Deno.writeTextFile(path, `description: |\n  ${"x".repeat(10 * 1024 * 1024)}\n`);
      const started = performance.now();
      const message = await configError(loadTaskFile(path));
      assert.ok(performance.now() - started < 1_000, "rejected quickly");
      assert.match(
        message,
        new RegExp(`^Invalid task file ${path}: the file is larger than the limit of 1\\.0 MiB`),
      );
    });
    await t.step("a description over the limit in a small file", async () => {
      const path = join(dir, "long.yaml");
      await Deno.writeTextFile(path, `description: ${"x".repeat(30_000)}\n`);
      assert.equal(
        await configError(loadTaskFile(path)),
        `Invalid task file ${path}: description: expected at most 20000 characters, got 30000`,
      );
    });
    await t.step("an alias bomb", async () => {
      const path = join(dir, "bomb.yaml");
      const levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
      for (let i = 1; i < 9; i++) levels.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
      await Deno.writeTextFile(path, `${levels.join("\n")}\ndescription: hi\nconstraints: *a8\n`);
      assert.match(await configError(loadTaskFile(path)), /: YAML error: too many alias expansions/);
    });
  });
});

Deno.test("taskFromText() makes a task from free text", async (t) => {
  await t.step("the text is the description, the name a slug of its first words", () => {
    assert.deepEqual(taskFromText("Print the first 20 Fibonacci numbers, one per line."), {
      name: "print-the-first-20-fibonacci-numbers",
      description: "Print the first 20 Fibonacci numbers, one per line.",
      constraints: [],
      language: "python",
      checks: {},
    });
  });
  await t.step("the language option", () => {
    assert.equal(taskFromText("Print hello.", { language: "typescript" }).language, "typescript");
  });
  await t.step("hostile text still gives a safe name", () => {
    assert.equal(taskFromText("../../../etc/passwd please").name, "etc-passwd-please");
    assert.equal(taskFromText("日本語").name, "task");
  });
  await t.step("empty text is an error", () => {
    assert.throws(() => taskFromText("  \n"), { name: "ConfigError", message: /^Task description is empty/ });
  });
  await t.step("a 10 MB text is rejected quickly", () => {
    const started = performance.now();
    assert.throws(() => taskFromText("x".repeat(10 * 1024 * 1024)), {
      name: "ConfigError",
      message: "Task description is too long: 10485760 characters, the limit is 20000",
    });
    assert.ok(performance.now() - started < 1_000);
  });
});
