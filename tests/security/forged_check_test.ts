/**
 * Classes 4 and 5 of issue 11: forged `test` checks. A wrong program must not make the task's test pass
 * by start-up hooks in its work dir (a module shadowing the standard library, a `.pth` file in the user
 * site dir), by exiting with 0 when the test imports it, or by rewriting its own file in the work dir.
 * Each goes through the whole loop (`runTask()` with a scripted Coder and a fooled Sheriff).
 */
import assert from "node:assert/strict";
import { runTask } from "../../lib/orchestrator/run_task.ts";
import { sandboxExecutor } from "../../lib/sandbox/sandbox_executor.ts";
import { loadTaskFile } from "../../lib/task/load.ts";
import type { RunResult, Task } from "../../lib/types.ts";
import { pyTask, tempDir, testLimits } from "../_helpers.ts";
import { coderReply, scriptedModel, sheriffReply } from "../_fakes.ts";

const executor = sandboxExecutor({ memoryMb: 256, diskQuotaMb: 32, maxProcesses: 64 });

async function runOnce(task: Task, code: string): Promise<RunResult> {
  await using out = await tempDir();
  const model = scriptedModel([coderReply(code, task.language), sheriffReply("PASS")]);
  return await runTask(task, { model, limits: testLimits({ maxAttempts: 1 }), outDir: out.path, executor });
}

/** Fails unless the run failed with the `test` check failed. */
function assertTestFailed(result: RunResult): void {
  const [attempt] = result.attempts;
  const test = attempt.checks.find((c) => c.name === "test");
  assert.ok(test, JSON.stringify(attempt.checks));
  assert.equal(test.passed, false, `the test check was forged: ${test.detail}`);
  assert.equal(result.status, "failed");
}

/** A hard-coded sales report: right on stdout, with a sales.csv holding the header only. */
async function fakeReport(): Promise<string> {
  const task = await loadTaskFile("examples/sales_report.yaml");
  const lines = ["Sales Report", ...task.checks.stdoutContains!];
  return `print(${JSON.stringify(lines.join("\n"))})
open("sales.csv", "w").write("order_id,region,product,quantity,unit_price\\n")
`;
}

Deno.test("runTask() test check: start-up hooks in the work dir forge nothing (python)", async (t) => {
  const task = await loadTaskFile("examples/sales_report.yaml");
  await t.step("a csv.py beside the script shadows the standard library", async () => {
    const code = `${await fakeReport()}open("csv.py", "w").write("import os\\nos._exit(0)\\n")`;
    assertTestFailed(await runOnce(task, code));
  });
  await t.step("a .pth file in the user site dir (HOME is the work dir)", async () => {
    const code = `${await fakeReport()}import os, site, sys
user_site = os.path.expanduser(f"~/.local/lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages")
os.makedirs(user_site, exist_ok=True)
open(os.path.join(user_site, "zz.pth"), "w").write("import os; os._exit(0)\\n")
open(os.path.join(user_site, "usercustomize.py"), "w").write("import os\\nos._exit(0)\\n")`;
    assertTestFailed(await runOnce(task, code));
  });
  await t.step("the reference program still passes every check", async () => {
    const reference = await Deno.readTextFile("tests/fixtures/reference/sales_report.py");
    const result = await runOnce(task, reference);
    assert.equal(result.status, "passed", JSON.stringify(result.attempts[0].checks));
  });
});

const ADD_TASK_PY = pyTask({
  name: "add",
  description: "Define add(a, b) returning a + b.",
  checks: { test: "from main import add\nassert add(2, 3) == 5, add(2, 3)\nprint('ok')" },
});

Deno.test("runTask() test check: a wrong program cannot pass by exiting or rewriting (python)", async (t) => {
  await t.step("exits 0 when imported by the test", async () => {
    const code = "import os\ndef add(a, b): return a - b\nif __name__ != '__main__': os._exit(0)";
    assertTestFailed(await runOnce(ADD_TASK_PY, code));
  });
  await t.step("raises SystemExit(0) when imported", async () => {
    const code = "def add(a, b): return a - b\nif __name__ != '__main__': raise SystemExit(0)";
    assertTestFailed(await runOnce(ADD_TASK_PY, code));
  });
  await t.step("rewrites main.py in its work dir into a right one", async () => {
    const code = "def add(a, b): return a - b\nopen(__file__, 'w').write('def add(a, b): return a + b\\n')";
    assertTestFailed(await runOnce(ADD_TASK_PY, code));
  });
});

const ADD_TASK_TS = pyTask({
  name: "add",
  language: "typescript",
  description: "Export add(a, b) returning a + b.",
  checks: {
    test:
      `import { add } from "./main.ts";\nif (add(2, 3) !== 5) throw new Error("add(2, 3) = " + add(2, 3));`,
  },
});

Deno.test("runTask() test check: a wrong program cannot pass by exiting or rewriting (typescript)", async (t) => {
  await t.step("Deno.exit(0) when imported by the test", async () => {
    const code =
      "export function add(a: number, b: number) { return a - b; }\nif (!import.meta.main) Deno.exit(0);";
    assertTestFailed(await runOnce(ADD_TASK_TS, code));
  });
  await t.step("rewrites main.ts in its work dir into a right one", async () => {
    const code = `export function add(a: number, b: number) { return a - b; }
if (import.meta.main) Deno.writeTextFileSync(new URL(import.meta.url), "export function add(a: number, b: number) { return a + b; }\\n");`;
    assertTestFailed(await runOnce(ADD_TASK_TS, code));
  });
  await t.step("a right program still passes", async () => {
    const result = await runOnce(ADD_TASK_TS, "export function add(a: number, b: number) { return a + b; }");
    assert.equal(result.status, "passed", JSON.stringify(result.attempts[0].checks));
  });
});

Deno.test("runTask() test check: a right Python program still passes", async () => {
  const result = await runOnce(ADD_TASK_PY, "def add(a, b): return a + b");
  assert.equal(result.status, "passed", JSON.stringify(result.attempts[0].checks));
});
