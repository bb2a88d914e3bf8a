import assert from "node:assert/strict";
import { runChecks } from "../../lib/sandbox/checks.ts";
import { execute } from "../../lib/sandbox/execute.ts";
import type { Captured, CheckResult, ExecResult, Language } from "../../lib/types.ts";
import { tempDir } from "./_temp_dir.ts";
import { requires } from "../_tier.ts";

const PYTHON_SANDBOX = requires("python3", "sandbox");
const SANDBOX = requires("sandbox");

function captured(text: string, truncated = false): Captured {
  return { text, bytes: new TextEncoder().encode(text).length, truncated };
}

function exited(stdout: string | Captured, code = 0): ExecResult {
  const out = typeof stdout === "string" ? captured(stdout) : stdout;
  return { kind: "exited", code, stdout: out, stderr: captured(""), ms: 5 };
}

function ctx(dir: string, language: Language = "python") {
  return { dir, language, timeoutMs: 30_000 };
}

/** The one result of a single check, asserting its name. */
function named(results: CheckResult[], name: string): CheckResult {
  const found = results.find((result) => result.name === name);
  assert.ok(found, JSON.stringify(results));
  return found;
}

function only(results: CheckResult[], name: string): CheckResult {
  assert.equal(results.length, 1, JSON.stringify(results));
  assert.equal(results[0].name, name);
  return results[0];
}

Deno.test("runChecks() returns nothing when no check is set", async () => {
  assert.deepEqual(await runChecks({}, exited("x"), ctx("/nonexistent")), []);
});

Deno.test("runChecks() compares stdout exactly, both sides trimmed", async (t) => {
  await t.step("passing", async () => {
    const result = only(await runChecks({ stdout: "55\n" }, exited("  55\n\n"), ctx("/tmp")), "stdout");
    assert.equal(result.passed, true);
  });
  await t.step("failing, showing expected and got", async () => {
    const result = only(await runChecks({ stdout: "55" }, exited("54\n"), ctx("/tmp")), "stdout");
    assert.equal(result.passed, false);
    assert.equal(result.detail, 'expected "55", got "54"');
  });
  await t.step("failing with long output shortened", async () => {
    const result = only(await runChecks({ stdout: "a" }, exited("b".repeat(5000)), ctx("/tmp")), "stdout");
    assert.equal(result.passed, false);
    assert.ok(result.detail.length < 300, result.detail);
    assert.match(result.detail, /b…b/);
  });
  await t.step("failing on a truncated stdout, saying so", async () => {
    const run = exited(captured("head\n[... 9 bytes omitted ...]\ntail", true));
    const result = only(await runChecks({ stdout: "x" }, run, ctx("/tmp")), "stdout");
    assert.match(result.detail, /\(stdout was truncated\)$/);
  });
  await t.step("on the stdout captured before a timeout", async () => {
    const run: ExecResult = {
      kind: "timed_out",
      afterMs: 1000,
      stdout: captured("55\n"),
      stderr: captured(""),
    };
    assert.equal(only(await runChecks({ stdout: "55" }, run, ctx("/tmp")), "stdout").passed, true);
  });
  await t.step("failing when the program was refused", async () => {
    const run: ExecResult = { kind: "refused", reason: "no python" };
    const result = only(await runChecks({ stdout: "55" }, run, ctx("/tmp")), "stdout");
    assert.deepEqual(result, { name: "stdout", passed: false, detail: "no stdout: the program was not run" });
  });
});

Deno.test("runChecks() looks for every stdout_contains string", async (t) => {
  await t.step("passing", async () => {
    const results = await runChecks({ stdoutContains: ["fib", "55"] }, exited("fib(10) = 55\n"), ctx("/tmp"));
    assert.equal(only(results, "stdout_contains").passed, true);
  });
  await t.step("failing, naming the missing ones", async () => {
    const results = await runChecks({ stdoutContains: ["fib", "55", "89"] }, exited("fib = 34"), ctx("/tmp"));
    const result = only(results, "stdout_contains");
    assert.equal(result.passed, false);
    assert.equal(result.detail, 'stdout lacks "55", "89"');
  });
});

Deno.test("runChecks() matches stdout_matches against the trimmed stdout", async (t) => {
  await t.step("passing", async () => {
    const results = await runChecks({ stdoutMatches: "^\\d+$" }, exited("42\n"), ctx("/tmp"));
    assert.equal(only(results, "stdout_matches").passed, true);
  });
  await t.step("failing", async () => {
    const results = await runChecks({ stdoutMatches: "^\\d+$" }, exited("forty-two\n"), ctx("/tmp"));
    const result = only(results, "stdout_matches");
    assert.equal(result.passed, false);
    assert.equal(result.detail, 'stdout "forty-two" does not match /^\\d+$/');
  });
  await t.step("failing on an invalid pattern", async () => {
    const results = await runChecks({ stdoutMatches: "(unclosed" }, exited("x"), ctx("/tmp"));
    const result = only(results, "stdout_matches");
    assert.equal(result.passed, false);
    assert.match(result.detail, /^invalid regular expression "\(unclosed": /);
  });
});

Deno.test("runChecks() wants each listed file inside the work dir", async (t) => {
  await using dir = await tempDir();
  await Deno.mkdir(`${dir.path}/out`);
  await Deno.writeTextFile(`${dir.path}/out/result.csv`, "a,b\n");
  await Deno.writeTextFile(`${dir.path}/report.txt`, "ok");
  await Deno.symlink("/etc/hostname", `${dir.path}/link`);
  const check = async (files: string[]) =>
    only(await runChecks({ files }, exited(""), ctx(dir.path)), "files");
  await t.step("passing", async () => {
    assert.deepEqual(await check(["report.txt", "out/result.csv", "./out/../report.txt"]), {
      name: "files",
      passed: true,
      detail: "all 3 present",
    });
  });
  await t.step("failing, naming the missing ones", async () => {
    const result = await check(["report.txt", "missing.txt", "out/none.csv"]);
    assert.equal(result.passed, false);
    assert.equal(result.detail, '"missing.txt" is missing; "out/none.csv" is missing');
  });
  await t.step("rejecting absolute paths, escapes and links outside", async () => {
    const result = await check(["/etc/hostname", "../x", "out/../../x", "link"]);
    assert.equal(result.passed, false);
    assert.equal(
      result.detail,
      '"/etc/hostname" is not a relative path; "../x" is outside the work dir; ' +
        '"out/../../x" is outside the work dir; "link" leads outside the work dir',
    );
  });
});

const FIB_PY = "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n\n" +
  "if __name__ == '__main__':\n    open('answer.txt', 'w').write(str(fib(10)))\n    print(fib(10))\n";

Deno.test(
  "runChecks() runs the test program beside the kept program and the task's files",
  PYTHON_SANDBOX,
  async (t) => {
    await using dir = await tempDir();
    const run = await execute({ language: "python", code: FIB_PY, dir: dir.path }, { timeoutMs: 30_000 });
    assert.equal(run.kind, "exited");
    await t.step("passing when it imports the script and reads a file the task names", async () => {
      const test = "from main import fib\nassert fib(12) == 144\nassert open('answer.txt').read() == '55'\n";
      const results = await runChecks({ files: ["answer.txt"], test }, run, {
        ...ctx(dir.path),
        program: FIB_PY,
      });
      assert.deepEqual(named(results, "test"), {
        name: "test",
        passed: true,
        detail: "test_main.py ran to its end and exited with code 0",
      });
      await assert.rejects(
        Deno.stat(`${dir.path}/test_main.py`),
        Deno.errors.NotFound,
        "not in the work dir",
      );
    });
    await t.step("a file the task does not name is not there", async () => {
      const test = "import os\nassert not os.path.exists('answer.txt')\n";
      assert.equal(only(await runChecks({ test }, run, ctx(dir.path)), "test").passed, true);
    });
    await t.step("failing with the tail of its stderr", async () => {
      const test = "from main import fib\nassert fib(10) == 56, 'fib(10) should be 56'\n";
      const result = only(await runChecks({ test }, run, ctx(dir.path)), "test");
      assert.equal(result.passed, false);
      assert.match(
        result.detail,
        /^test_main\.py exited with code 1:\n[\s\S]*AssertionError: fib\(10\) should be 56$/,
      );
    });
    await t.step("failing when it times out", async () => {
      const test = "import time\ntime.sleep(100)\n";
      const result = only(await runChecks({ test }, run, { ...ctx(dir.path), timeoutMs: 1000 }), "test");
      assert.equal(result.passed, false);
      assert.match(result.detail, /^test_main\.py timed out after \d+ ms$/);
    });
    await t.step("skipped as failed when the program did not exit", async () => {
      const timedOut: ExecResult = {
        kind: "timed_out",
        afterMs: 1000,
        stdout: captured(""),
        stderr: captured(""),
      };
      const result = only(await runChecks({ test: "raise SystemExit(0)" }, timedOut, ctx(dir.path)), "test");
      assert.deepEqual(result, {
        name: "test",
        passed: false,
        detail: "skipped: the program did not exit (timed_out)",
      });
    });
  },
);

Deno.test("runChecks() runs a TypeScript test program in the sandbox", SANDBOX, async (t) => {
  await using dir = await tempDir();
  const code = "export const square = (n: number) => n * n;\n" +
    "if (import.meta.main) await Deno.writeTextFile('out.json', JSON.stringify({ nine: square(3) }));\n";
  const run = await execute({ language: "typescript", code, dir: dir.path }, { timeoutMs: 30_000 });
  assert.equal(run.kind, "exited", JSON.stringify(run));
  await t.step("passing", async () => {
    const test = "import { square } from './main.ts';\n" +
      "const out = JSON.parse(await Deno.readTextFile('out.json'));\n" +
      "if (out.nine !== 9 || square(4) !== 16) Deno.exit(1);\n";
    const results = await runChecks({ files: ["out.json"], test }, run, {
      ...ctx(dir.path, "typescript"),
      program: code,
    });
    assert.deepEqual(named(results, "test"), {
      name: "test",
      passed: true,
      detail: "test_main.ts ran to its end and exited with code 0",
    });
  });
  await t.step("failing", async () => {
    const test =
      "import { square } from './main.ts';\nif (square(3) !== 10) throw new Error('square(3) is not 10');\n";
    const result = only(await runChecks({ test }, run, ctx(dir.path, "typescript")), "test");
    assert.equal(result.passed, false);
    assert.match(result.detail, /^test_main\.ts exited with code 1:\n[\s\S]*square\(3\) is not 10/);
  });
});

Deno.test("runChecks() reports every check set, in order", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/a.txt`, "");
  const results = await runChecks(
    { stdout: "ok", stdoutContains: ["o"], stdoutMatches: "k$", files: ["a.txt"] },
    exited("ok\n"),
    ctx(dir.path),
  );
  assert.deepEqual(results.map((r) => [r.name, r.passed]), [
    ["stdout", true],
    ["stdout_contains", true],
    ["stdout_matches", true],
    ["files", true],
  ]);
});
