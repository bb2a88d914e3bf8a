import assert from "node:assert/strict";
import { ranToEnd } from "../../lib/sandbox/_check_runners.ts";
import { testCheck } from "../../lib/sandbox/test_check.ts";
import type { ExecResult } from "../../lib/types.ts";
import { tempDir } from "./_temp_dir.ts";

const EXITED: ExecResult = {
  kind: "exited",
  code: 0,
  stdout: { text: "", bytes: 0, truncated: false },
  stderr: { text: "", bytes: 0, truncated: false },
  ms: 1,
};

Deno.test("ranToEnd() wants the token as the last line", () => {
  assert.equal(ranToEnd("ok\n\nabc\n", "abc"), true);
  assert.equal(ranToEnd("abc\nlater\n", "abc"), false);
  assert.equal(ranToEnd("xabc\n", "abc"), false);
});

Deno.test("testCheck() lets a test end its own way, and only its own", async (t) => {
  await using dir = await tempDir();
  const program = "def add(a, b):\n    return a + b\n";
  const check = (test: string) =>
    testCheck(test, EXITED, { dir: dir.path, language: "python", timeoutMs: 20_000, program });
  await t.step("unittest.main() (it raises SystemExit(0) itself)", async () => {
    const test = "import unittest\nfrom main import add\n" +
      "class T(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n" +
      "unittest.main()\n";
    const result = await check(test);
    assert.equal(result.passed, true, result.detail);
  });
  await t.step("sys.exit(0) in the test itself", async () => {
    const result = await check("import sys\nfrom main import add\nassert add(1, 1) == 2\nsys.exit(0)\n");
    assert.equal(result.passed, true, result.detail);
  });
  await t.step("sys.exit(1) fails", async () => {
    const result = await check("import sys\nsys.exit(1)\n");
    assert.equal(result.passed, false);
    assert.match(result.detail, /exited with code 1/);
  });
  await t.step("a failing unittest fails", async () => {
    const test = "import unittest\nfrom main import add\n" +
      "class T(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(add(2, 3), 6)\n" +
      "unittest.main()\n";
    assert.equal((await check(test)).passed, false);
  });
  await t.step("no program given and none in the work dir", async () => {
    const result = await testCheck("pass", EXITED, { dir: dir.path, language: "python", timeoutMs: 20_000 });
    assert.deepEqual(result, {
      name: "test",
      passed: false,
      detail: "cannot test: main.py is not a plain file in the work dir",
    });
  });
});
