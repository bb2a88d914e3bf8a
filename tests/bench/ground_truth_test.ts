import assert from "node:assert/strict";
import { hiddenTestProgram, judgeProgram } from "../../lib/bench/ground_truth.ts";
import type { GroundTruth } from "../../lib/bench/bench_task.ts";
import { FIB_OUTPUT, FIB_PROGRAM, tempDir } from "../_helpers.ts";
import { REMOVE_OCC, REMOVE_OCC_BROKEN, REMOVE_OCC_GOOD } from "./_fixtures.ts";
import { requires } from "../_tier.ts";

const PYTHON_SANDBOX = requires("python3", "sandbox");

const TRUTH: GroundTruth = { kind: "asserts", imports: REMOVE_OCC.testImports, asserts: REMOVE_OCC.tests };

async function judge(truth: GroundTruth, code: string, timeoutMs = 10_000) {
  await using dir = await tempDir();
  const result = await judgeProgram(truth, { code, language: "python" }, { timeoutMs, tmpDir: dir.path });
  assert.deepEqual([...Deno.readDirSync(dir.path)], [], "the fresh directory is removed");
  return result;
}

Deno.test("hiddenTestProgram() imports the script's names, then runs imports, asserts and the marker", () => {
  const program = hiddenTestProgram(["import math"], ["assert f(1) == 1", "assert f(2) == 2"], "MARK");
  const lines = program.trim().split("\n");
  assert.equal(lines[0], "import main as _factory_main");
  assert.deepEqual(lines.slice(2), ["import math", "assert f(1) == 1", "assert f(2) == 2", 'print("MARK")']);
});

Deno.test("judgeProgram() on MBPP asserts", PYTHON_SANDBOX, async (t) => {
  await t.step("passes the reference solution", async () => {
    assert.deepEqual(await judge(TRUTH, REMOVE_OCC.code), { passed: true, detail: "all 3 asserts passed" });
  });
  await t.step("passes a program whose function sits beside a __main__ block", async () => {
    assert.equal((await judge(TRUTH, REMOVE_OCC_GOOD)).passed, true);
  });
  await t.step("fails a program that passes the first assert only, saying which assert broke", async () => {
    const result = await judge(TRUTH, REMOVE_OCC_BROKEN);
    assert.equal(result.passed, false);
    assert.match(result.detail, /^exit 1: AssertionError/);
  });
  await t.step("fails a program that exits 0 while it is imported, before the asserts run", async () => {
    const result = await judge(TRUTH, `import sys\n${REMOVE_OCC_BROKEN}\nsys.exit(0)`);
    assert.deepEqual(result, { passed: false, detail: "exited 0 before the asserts finished" });
  });
  await t.step("fails a program that prints the marker text itself", async () => {
    const cheat = `${REMOVE_OCC_BROKEN}\nprint("factory-hidden-tests-passed-")\nimport os\nos._exit(0)`;
    assert.equal((await judge(TRUTH, cheat)).passed, false);
  });
  await t.step("fails a program without the function", async () => {
    const result = await judge(TRUTH, 'print("hello")');
    assert.match(result.detail, /NameError: name 'remove_Occ' is not defined/);
  });
  await t.step("fails a program that hangs, after the timeout", async () => {
    const result = await judge(TRUTH, "while True:\n    pass", 500);
    assert.equal(result.passed, false);
    assert.match(result.detail, /^timed out after \d+ ms$/);
  });
});

Deno.test("judgeProgram() on task-file checks", PYTHON_SANDBOX, async (t) => {
  const truth: GroundTruth = { kind: "checks", checks: { stdout: FIB_OUTPUT } };
  await t.step("passes a program with the right output", async () => {
    assert.deepEqual(await judge(truth, FIB_PROGRAM), { passed: true, detail: "exit 0, 1 checks passed" });
  });
  await t.step("fails a program with the wrong output, naming the check", async () => {
    const result = await judge(truth, 'print("0\\n1\\n2")');
    assert.equal(result.passed, false);
    assert.match(result.detail, /^check stdout failed: /);
  });
  await t.step("fails a program that crashes after the right output", async () => {
    const result = await judge(truth, `${FIB_PROGRAM}\nraise SystemExit(3)`);
    assert.deepEqual(result, { passed: false, detail: "exit 3" });
  });
});
