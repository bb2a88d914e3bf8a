import assert from "node:assert/strict";
import { loadSuite, parseSuite } from "../../lib/bench/suites.ts";
import { loadExampleTasks } from "../../lib/bench/examples_suite.ts";
import { armRun, ARMS, benchLimits, DEFAULT_ARMS, parseArms } from "../../lib/bench/arms.ts";
import { mbppBenchTask } from "../../lib/bench/mbpp_task.ts";
import { REMOVE_OCC } from "./_fixtures.ts";
import { ConfigError } from "../../lib/errors.ts";
import { NO_MBPP } from "./_mbpp_data.ts";

Deno.test("loadExampleTasks() hides the checks from the task and keeps them as visible checks and ground truth", async () => {
  const tasks = await loadExampleTasks("examples");
  assert.deepEqual(tasks.map((t) => t.id), [
    "calendar",
    "fibonacci",
    "logistic-regression",
    "neural-net",
    "sales-report",
  ]);
  for (const bench of tasks) {
    assert.deepEqual(bench.task.checks, {});
    assert.equal(bench.task.maxAttempts, undefined);
    assert.ok(Object.keys(bench.visibleChecks).length > 0);
    assert.deepEqual(bench.truth, { kind: "checks", checks: bench.visibleChecks });
  }
  assert.equal(tasks[2].task.timeoutSec, 30, "a task's own program timeout is kept");
});

Deno.test("armRun() attaches checks only in loop+derived and loop+checks, and caps one-shot arms at one attempt", async () => {
  const [bench] = await loadExampleTasks("examples");
  const [raw, single, loop, derived, checks] = ARMS.map((arm) => armRun(bench, arm));
  assert.deepEqual([raw, single, loop, derived, checks].map((run) => run.limits.maxAttempts), [
    1,
    1,
    3,
    3,
    3,
  ]);
  assert.deepEqual(single.task.checks, {});
  assert.deepEqual(loop.task.checks, {});
  assert.deepEqual(derived.task.checks, {}, "the example task texts hold no examples to derive");
  assert.deepEqual(checks.task.checks, bench.visibleChecks);
});

Deno.test("armRun() decides limits like the CLI: bench settings < the task file < the bench's flags", async () => {
  const LOOP = ARMS.find((a) => a.name === "loop")!;
  const tasks = await loadExampleTasks("examples");
  const logistic = tasks.find((t) => t.task.timeoutSec === 30)!;
  const fib = tasks.find((t) => t.task.timeoutSec === undefined)!;
  assert.equal(benchLimits().executionTimeoutMs, 10_000, "the bench's own program timeout");
  assert.equal(armRun(fib, LOOP).limits.executionTimeoutMs, 10_000);
  assert.equal(armRun(logistic, LOOP).limits.executionTimeoutMs, 30_000, "the task file beats the bench");
  const flags = { agent: { executionTimeoutSec: 5, maxAttempts: 4 } };
  assert.equal(armRun(logistic, LOOP, flags).limits.executionTimeoutMs, 5_000, "flags beat the task");
  assert.equal(armRun(logistic, LOOP, flags).limits.maxAttempts, 4);
  assert.equal(
    armRun(logistic, ARMS.find((a) => a.name === "single")!, flags).limits.maxAttempts,
    1,
    "the single arm stays one shot",
  );
});

Deno.test("armRun() gives loop+derived the text with an example, and derives its check", () => {
  const bench = mbppBenchTask(REMOVE_OCC);
  const { task } = armRun(bench, ARMS.find((arm) => arm.name === "loop+derived")!);
  assert.equal(task.description, bench.exampleDescription);
  assert.deepEqual(task.derived?.examples, [{
    kind: "equal",
    actual: 'remove_Occ("hello","l")',
    expected: '"heo"',
  }]);
  assert.ok(task.checks.test?.includes("import main as _factory_main"));
});

Deno.test("DEFAULT_ARMS are raw, single, loop and loop+derived", () => {
  assert.deepEqual(DEFAULT_ARMS.map((arm) => arm.name), ["raw", "single", "loop", "loop+derived"]);
});

Deno.test("parseArms() and parseSuite() read names and reject unknown ones", () => {
  assert.deepEqual(parseArms("loop+checks, single,single,raw").map((a) => a.name), [
    "loop+checks",
    "single",
    "raw",
  ]);
  assert.throws(
    () => parseArms("loop,best"),
    (e) => e instanceof ConfigError && e.message.includes("unknown arm: best"),
  );
  assert.throws(() => parseArms(" , "), ConfigError);
  assert.equal(parseSuite("mbpp"), "mbpp");
  assert.throws(
    () => parseSuite("humaneval"),
    (e) => e instanceof ConfigError && e.message.includes("humaneval"),
  );
  assert.throws(
    () => parseSuite(undefined),
    (e) => e instanceof ConfigError && e.message.includes("no suite"),
  );
});

Deno.test({
  name: "loadSuite() picks the MBPP quick subset, every task with all, and the first N with limit",
  ignore: NO_MBPP,
  async fn() {
    const quick = await loadSuite("mbpp");
    assert.equal(quick[0].id, "2");
    assert.ok(quick.length >= 10 && quick.length < 427);
    assert.equal((await loadSuite("mbpp", { all: true })).length, 427);
    assert.deepEqual(
      (await loadSuite("mbpp", { limit: 2 })).map((t) => t.id),
      quick.slice(0, 2).map((t) => t.id),
    );
  },
});
