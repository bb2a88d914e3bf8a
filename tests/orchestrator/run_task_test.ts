import assert from "node:assert/strict";
import { join } from "node:path";
import { runTask } from "../../lib/orchestrator/run_task.ts";
import { FLOOR_TOKENS_PER_SEC } from "../../lib/orchestrator/stop_conditions.ts";
import { withDerivedChecks } from "../../lib/task/derive_checks.ts";
import type { RunEvent } from "../../lib/types.ts";
import { ModelError } from "../../lib/errors.ts";
import { coderReply, fakeClock, fakeExecutor, type FakeRun, scriptedModel, sheriffReply } from "../_fakes.ts";
import { FIB_OUTPUT, FIB_PROGRAM, pyTask, tempDir, testLimits } from "../_helpers.ts";

/**
 * The loop against a scripted model and a fake executor: no process is started. What the real sandbox
 * adds (killing process trees, interrupting a running program) is in run_task_sandbox_test.ts.
 */

const CRASH = `print("start")\nraise ValueError("boom")`;

/** What python3 does with CRASH. */
const CRASHED: FakeRun = {
  exit: 1,
  stdout: "start\n",
  stderr: 'Traceback (most recent call last):\n  File "script.py", line 2, in <module>\nValueError: boom\n',
};

/** What python3 does with FIB_PROGRAM. */
const FIB_RAN: FakeRun = { stdout: `${FIB_OUTPUT}\n` };

async function readJsonLines(path: string): Promise<Record<string, unknown>[]> {
  return (await Deno.readTextFile(path)).trim().split("\n").map((l) => JSON.parse(l));
}

Deno.test("runTask() passes on the first try and writes every artifact", async () => {
  await using out = await tempDir();
  const model = scriptedModel([coderReply(FIB_PROGRAM), sheriffReply("PASS")]);
  const executor = fakeExecutor([FIB_RAN]);
  const events: RunEvent[] = [];
  const result = await runTask(pyTask({ checks: { stdout: FIB_OUTPUT } }), {
    model,
    executor,
    limits: testLimits(),
    outDir: out.path,
    emit: (e) => void events.push(e),
  });
  assert.equal(result.status, "passed");
  assert.equal(result.stopReason, "passed");
  assert.equal(result.attempts.length, 1);
  assert.equal(model.remaining(), 0);
  const dir = result.dir!;
  assert.deepEqual(executor.programs, [
    { language: "python", code: `${FIB_PROGRAM}\n`, dir: result.attempts[0].workDir, timeoutMs: 10_000 },
  ]);
  assert.equal(result.finalScript, join(dir, "attempt-1", "script.py"));
  assert.equal((await Deno.readTextFile(result.finalScript!)).trim(), FIB_PROGRAM);
  for (const f of ["coder_reply.md", "sheriff_reply.md", "stdout.txt", "stderr.txt", "result.json"]) {
    assert.ok((await Deno.stat(join(dir, "attempt-1", f))).isFile, f);
  }
  assert.equal((await Deno.readTextFile(join(dir, "attempt-1", "stdout.txt"))).trim(), FIB_OUTPUT);
  const summary = JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));
  assert.equal(summary.status, "passed");
  assert.equal(summary.attempts, 1);
  assert.equal(summary.tokens.prompt, 200);
  assert.equal(summary.tokens.completion, 100);
  assert.equal(summary.finalScript, join("attempt-1", "script.py"), "relative to the run directory");
  const kinds = events.map((e) => e.kind).filter((k) => !k.endsWith("_token"));
  assert.deepEqual(kinds, [
    "run_start",
    "coder_start",
    "model_call",
    "coder_done",
    "exec_start",
    "exec_done",
    "checks",
    "sheriff_start",
    "model_call",
    "sheriff_done",
    "verdict",
    "stop",
  ]);
  assert.ok(events.some((e) => e.kind === "coder_token"), "tokens are streamed");
  const transcript = await readJsonLines(join(dir, "transcript.jsonl"));
  assert.deepEqual(transcript.map((e) => e.kind), kinds, "the transcript holds every event but tokens");
  const calls = transcript.filter((e) => e.kind === "model_call");
  assert.equal(calls.length, 2);
  assert.ok(Array.isArray(calls[0].messages) && (calls[0].reply as { usage: unknown }).usage);
});

Deno.test("runTask() repairs: fail, the Coder sees its script and the report, then pass", async () => {
  await using out = await tempDir();
  const model = scriptedModel([
    coderReply(CRASH),
    sheriffReply("FAIL", "It raises ValueError.", "Print the numbers instead of raising."),
    coderReply(FIB_PROGRAM),
    sheriffReply("PASS"),
  ]);
  const executor = fakeExecutor([CRASHED, FIB_RAN]);
  const result = await runTask(pyTask(), { model, executor, limits: testLimits(), outDir: out.path });
  assert.equal(result.status, "passed");
  assert.equal(result.attempts.length, 2);
  assert.equal(result.attempts[0].verdict.passed, false);
  const retry = model.requests[2].messages.map((m) => m.content).join("\n");
  assert.ok(retry.includes('raise ValueError("boom")'), "the Coder sees its previous script");
  assert.ok(
    retry.includes("Print the numbers instead of raising."),
    "the Coder sees the Sheriff's fix request",
  );
  assert.ok(retry.includes("ValueError: boom"), "the Coder sees the failing output");
});

Deno.test("runTask() overrules a Sheriff PASS when the program crashed", async () => {
  await using out = await tempDir();
  const model = scriptedModel([coderReply(CRASH), sheriffReply("PASS")]);
  const executor = fakeExecutor([CRASHED]);
  const limits = testLimits({ maxAttempts: 1 });
  const result = await runTask(pyTask(), { model, executor, limits, outDir: out.path });
  assert.equal(result.status, "failed");
  assert.equal(result.stopReason, "max_attempts");
  assert.equal(result.attempts[0].verdict.overruled, true);
  assert.ok(result.attempts[0].verdict.reasons.some((r) => r.includes("exited with code 1")));
  const summary = JSON.parse(await Deno.readTextFile(join(result.dir!, "summary.json")));
  assert.equal(summary.overruledVerdicts, 1);
});

Deno.test("runTask() asks the Coder afresh, within the attempt, when a retry repeats the failing program", async () => {
  await using out = await tempDir();
  const model = scriptedModel([
    coderReply(CRASH),
    sheriffReply("FAIL"),
    coderReply(CRASH),
    coderReply(FIB_PROGRAM),
    sheriffReply("PASS"),
  ]);
  const executor = fakeExecutor([CRASHED, FIB_RAN]);
  const events: RunEvent[] = [];
  const result = await runTask(pyTask(), {
    model,
    executor,
    limits: testLimits(),
    outDir: out.path,
    emit: (event) => void events.push(event),
  });
  assert.equal(result.status, "passed");
  assert.equal(result.attempts.length, 2, "the repeat did not cost an attempt");
  assert.deepEqual(executor.programs.map((p) => p.code.trim()), [CRASH.trim(), FIB_PROGRAM.trim()]);
  assert.deepEqual(model.requests.map((r) => r.persona), ["coder", "sheriff", "coder", "coder", "sheriff"]);
  const [retry, afresh] = [model.requests[2], model.requests[3]];
  assert.deepEqual(retry.messages.map((m) => m.role), ["system", "user", "assistant", "user"]);
  assert.deepEqual(afresh.messages.map((m) => m.role), ["system", "user", "user"]);
  assert.match(afresh.messages[2].content, /Write the program anew/);
  const starts = events.filter((e) => e.kind === "coder_start");
  assert.deepEqual(starts.map((e) => [e.attempt, e.again !== undefined]), [[1, false], [2, false], [
    2,
    true,
  ]]);
  assert.equal(result.attempts[1].unchanged, undefined);
});

Deno.test("runTask() tells the Sheriff which facts already fail the program, and nothing on clean facts", async () => {
  await using out = await tempDir();
  const model = scriptedModel([
    coderReply(CRASH),
    sheriffReply("FAIL"),
    coderReply(FIB_PROGRAM),
    sheriffReply("PASS"),
  ]);
  const executor = fakeExecutor([CRASHED, FIB_RAN]);
  await runTask(pyTask(), { model, executor, limits: testLimits(), outDir: out.path });
  const [crashReview, cleanReview] = model.requests.filter((r) => r.persona === "sheriff")
    .map((r) => r.messages[1].content);
  assert.match(crashReview, /These facts already fail the program[^\n]*\n- the program exited with code 1\n/);
  assert.match(crashReview, /then the line VERDICT: FAIL, then FIX:/);
  assert.doesNotMatch(cleanReview, /factory's facts/);
  assert.match(cleanReview, /VERDICT: PASS or VERDICT: FAIL/);
});

Deno.test("runTask() catches wrong stdout with a check even when the Sheriff says PASS", async () => {
  await using out = await tempDir();
  const model = scriptedModel([coderReply(`print("Total Records: 3")`), sheriffReply("PASS")]);
  const task = pyTask({ checks: { stdoutContains: ["Total Records: 200"] } });
  const executor = fakeExecutor([{ stdout: "Total Records: 3\n" }]);
  const limits = testLimits({ maxAttempts: 1 });
  const result = await runTask(task, { model, executor, limits, outDir: out.path });
  assert.equal(result.status, "failed");
  assert.equal(result.attempts[0].checks[0].passed, false);
  assert.equal(result.attempts[0].verdict.overruled, true);
});

Deno.test("runTask() stops on stagnation", async (t) => {
  await t.step("the same error three times in a row", async () => {
    await using out = await tempDir();
    const crash = (n: number) => coderReply(`x = ${n}\n${CRASH}`);
    const model = scriptedModel([
      crash(1),
      sheriffReply("FAIL"),
      crash(2),
      sheriffReply("FAIL"),
      crash(3),
      sheriffReply("FAIL"),
    ]);
    const executor = fakeExecutor([CRASHED, CRASHED, CRASHED]);
    const result = await runTask(pyTask(), {
      model,
      executor,
      limits: testLimits({ maxAttempts: 10 }),
      outDir: out.path,
    });
    assert.equal(result.stopReason, "stagnation");
    assert.equal(result.attempts.length, 3);
    assert.match(result.stopDetail, /same error/);
  });
  await t.step("the same script twice with threshold 2", async () => {
    await using out = await tempDir();
    const model = scriptedModel([
      coderReply(`print(1)`),
      sheriffReply("FAIL", "Wrong."),
      coderReply(`print(1)`),
      coderReply(`print(1)`), // asked afresh, it writes the same script a third time
      sheriffReply("FAIL", "Wrong."),
    ]);
    const result = await runTask(pyTask(), {
      model,
      executor: fakeExecutor([{ stdout: "1\n" }, { stdout: "1\n" }]),
      limits: testLimits({ maxAttempts: 10, stagnationThreshold: 2 }),
      outDir: out.path,
    });
    assert.equal(result.stopReason, "stagnation");
    assert.equal(result.attempts.length, 2);
  });
});

Deno.test("runTask() stops when the token budget is spent, counting real usage", async () => {
  await using out = await tempDir();
  const big = { promptTokens: 600, completionTokens: 300 };
  const model = scriptedModel([
    { text: coderReply(CRASH), usage: big },
    { text: sheriffReply("FAIL"), usage: big },
    coderReply(FIB_PROGRAM),
  ]);
  const result = await runTask(pyTask(), {
    model,
    executor: fakeExecutor([CRASHED]),
    limits: testLimits({ maxAttempts: 5, totalTokenBudget: 2000 }),
    outDir: out.path,
  });
  assert.equal(result.stopReason, "token_budget");
  assert.equal(result.status, "failed");
  assert.equal(result.tokens.prompt + result.tokens.completion, 1800);
  assert.match(
    result.stopDetail,
    /^Stopped before the next model call: its prompt \(about \d+ tokens\) and a reply would not fit the 200 tokens left/,
  );
  assert.equal(model.requests.length, 2, "no call is made once the budget cannot fit a prompt");
});

Deno.test("runTask() sends a format reminder when the reply has no code", async () => {
  await using out = await tempDir();
  const model = scriptedModel([
    "I would write a loop that prints numbers.",
    coderReply(FIB_PROGRAM),
    sheriffReply("PASS"),
  ]);
  const executor = fakeExecutor([FIB_RAN]);
  const result = await runTask(pyTask(), { model, executor, limits: testLimits(), outDir: out.path });
  assert.equal(result.status, "passed");
  assert.equal(result.attempts[0].draft.kind, "no_code");
  assert.equal(result.attempts[0].exec, undefined, "nothing was run");
  assert.equal(executor.programs.length, 1, "only the second reply's program ran");
  assert.equal(result.attempts[0].sheriff.kind, "skipped");
  assert.equal(model.requests.length, 3, "the Sheriff is not asked about a reply without code");
  assert.match(model.requests[1].messages.at(-1)!.content, /```/);
});

Deno.test("runTask() never runs a reply truncated inside a fence and tells the Coder", async () => {
  await using out = await tempDir();
  const model = scriptedModel([
    { text: "```python\nfor i in range(10):\n    print(", finishReason: "length" },
    coderReply(FIB_PROGRAM),
    sheriffReply("PASS"),
  ]);
  const executor = fakeExecutor([FIB_RAN]);
  const result = await runTask(pyTask(), { model, executor, limits: testLimits(), outDir: out.path });
  assert.equal(result.attempts[0].draft.kind, "truncated");
  assert.equal(result.attempts[0].exec, undefined);
  assert.deepEqual(executor.programs.map((p) => p.code.trim()), [FIB_PROGRAM]);
  assert.match(model.requests[1].messages.at(-1)!.content, /cut off|truncated|token limit/i);
  assert.equal(result.status, "passed");
});

Deno.test("runTask() fails a program that runs past the time limit, giving it limits.executionTimeoutMs", async () => {
  await using out = await tempDir();
  const model = scriptedModel([coderReply("while True: pass"), sheriffReply("PASS")]);
  const executor = fakeExecutor([{ hang: true }]);
  const limits = testLimits({ maxAttempts: 1, executionTimeoutMs: 50 });
  const result = await runTask(pyTask(), { model, executor, limits, outDir: out.path });
  assert.equal(executor.programs[0].timeoutMs, 50);
  assert.equal(result.attempts[0].exec?.kind, "timed_out");
  assert.equal(result.status, "failed");
  assert.equal(result.attempts[0].verdict.overruled, true, "a timeout overrules the Sheriff's PASS");
});

Deno.test("runTask() aborted while a program runs ends interrupted with complete artifacts", async () => {
  await using out = await tempDir();
  const controller = new AbortController();
  const model = scriptedModel([coderReply("while True: pass"), sheriffReply("PASS")]);
  const executor = fakeExecutor([{ hang: true }]);
  const result = await runTask(pyTask(), {
    model,
    executor,
    limits: testLimits(),
    outDir: out.path,
    signal: controller.signal,
    emit: (e) => {
      if (e.kind === "exec_start") controller.abort();
    },
  });
  assert.equal(result.status, "interrupted");
  assert.equal(result.attempts.length, 1);
  assert.equal(result.attempts[0].exec?.kind, "interrupted");
  assert.equal(model.remaining(), 1, "the Sheriff is not asked after an interrupt");
  const summary = JSON.parse(await Deno.readTextFile(join(result.dir!, "summary.json")));
  assert.equal(summary.status, "interrupted");
  assert.ok((await Deno.stat(join(result.dir!, "attempt-1", "result.json"))).isFile);
  const last = (await Deno.readTextFile(join(result.dir!, "transcript.jsonl"))).trim().split("\n").at(-1)!;
  assert.equal(JSON.parse(last).kind, "stop");
});

Deno.test("runTask() runs the files and test checks on the program's work dir", async (t) => {
  const task = pyTask({ checks: { files: ["out.txt"], test: "assert open('out.txt').read() == '55'" } });
  for (
    const [name, run, testPasses, passed] of [
      ["the file is there and the test passes", { files: { "out.txt": "55" } }, true, true],
      ["the file is missing", {}, true, false],
      ["the test fails", { files: { "out.txt": "54" } }, false, false],
    ] as const
  ) {
    await t.step(name, async () => {
      await using out = await tempDir();
      const model = scriptedModel([coderReply("open('out.txt', 'w').write('55')"), sheriffReply("PASS")]);
      const tested: string[] = [];
      const executor = fakeExecutor([run], {
        test: (code) => (tested.push(code), testPasses),
      });
      const limits = testLimits({ maxAttempts: 1 });
      const result = await runTask(task, { model, executor, limits, outDir: out.path });
      assert.deepEqual(result.attempts[0].checks.map((c) => c.name), ["files", "test"]);
      assert.deepEqual(tested, [task.checks.test]);
      assert.equal(result.status, passed ? "passed" : "failed");
    });
  }
});

Deno.test("runTask() measures model, execution and total time with the injected clock", async () => {
  await using out = await tempDir();
  const clock = fakeClock(Date.UTC(2026, 0, 1));
  const script = [coderReply(FIB_PROGRAM), sheriffReply("PASS")];
  const model = scriptedModel(() => (clock.advance(1_000), script.shift()!));
  const executor = fakeExecutor(() => (clock.advance(300), FIB_RAN));
  const result = await runTask(pyTask(), {
    model,
    executor,
    limits: testLimits(),
    outDir: out.path,
    now: clock.now,
  });
  assert.equal(result.status, "passed");
  assert.deepEqual(result.durations, { totalMs: 2_300, modelMs: 2_000, execMs: 300, orchestrationMs: 0 });
});

Deno.test("runTask() ends with status error when the model fails, keeping artifacts", async (t) => {
  await t.step("a server error", async () => {
    await using out = await tempDir();
    const model = scriptedModel([{ error: new ModelError("Model server answered 500: boom", "http") }]);
    const executor = fakeExecutor([]);
    const result = await runTask(pyTask(), { model, executor, limits: testLimits(), outDir: out.path });
    assert.equal(result.status, "error");
    assert.equal(result.stopReason, "model_error");
    assert.match(result.stopDetail, /500/);
    const summary = JSON.parse(await Deno.readTextFile(join(result.dir!, "summary.json")));
    assert.equal(summary.status, "error");
  });
  await t.step("a server that never answers, within llm_timeout", async () => {
    await using out = await tempDir();
    const model = scriptedModel([{ hang: true }]);
    const result = await runTask(pyTask(), {
      model,
      executor: fakeExecutor([]),
      limits: testLimits({ llmTimeoutMs: 200 }),
      outDir: out.path,
    });
    assert.equal(result.stopReason, "model_error");
    assert.match(result.stopDetail, /no answer within 0\.2 s/);
  });
});

Deno.test("runTask() passes limits and the persona to every model call", async () => {
  await using out = await tempDir();
  const model = scriptedModel([coderReply(FIB_PROGRAM), sheriffReply("PASS")]);
  await runTask(pyTask(), {
    model,
    executor: fakeExecutor([FIB_RAN]),
    limits: testLimits({ maxTokensPerTurn: 300, temperature: 0.2, llmTimeoutMs: 4321 }),
    outDir: out.path,
  });
  for (const request of model.requests) {
    assert.equal(request.maxTokens, 300);
    assert.equal(request.temperature, 0.2);
    assert.equal(request.stallMs, 4321, "llm_timeout is the stall limit");
    assert.equal(
      request.timeoutMs,
      4321 + (300 / FLOOR_TOKENS_PER_SEC) * 1000,
      "the cap leaves room for max_tokens",
    );
  }
  assert.deepEqual(model.requests.map((r) => r.persona), ["coder", "sheriff"]);
});

Deno.test("runTask() samples the Coder's retries at retry_temperature, every other turn at temperature", async () => {
  await using out = await tempDir();
  const model = scriptedModel([
    coderReply(CRASH),
    sheriffReply("FAIL"),
    coderReply(FIB_PROGRAM),
    sheriffReply("PASS"),
  ]);
  const result = await runTask(pyTask(), {
    model,
    executor: fakeExecutor([CRASHED, FIB_RAN]),
    limits: testLimits({ temperature: 0, retryTemperature: 0.7 }),
    outDir: out.path,
  });
  assert.equal(result.status, "passed");
  assert.deepEqual(
    model.requests.map((r) => [r.persona, r.temperature]),
    [["coder", 0], ["sheriff", 0], ["coder", 0.7], ["sheriff", 0]],
  );
});

Deno.test("runTask() with sheriff: false lets clean facts alone decide", async (t) => {
  await t.step("a clean run passes without asking the Sheriff", async () => {
    await using out = await tempDir();
    const model = scriptedModel([coderReply(FIB_PROGRAM)]);
    const result = await runTask(pyTask({ checks: { stdout: FIB_OUTPUT } }), {
      model,
      executor: fakeExecutor([FIB_RAN]),
      limits: testLimits({ maxAttempts: 1 }),
      outDir: out.path,
      sheriff: false,
    });
    assert.equal(result.status, "passed");
    assert.equal(model.requests.length, 1);
    assert.equal(result.attempts[0].sheriff.kind, "skipped");
  });
  await t.step("a failing check still fails", async () => {
    await using out = await tempDir();
    const model = scriptedModel([coderReply(`print(1)`)]);
    const result = await runTask(pyTask({ checks: { stdout: FIB_OUTPUT } }), {
      model,
      executor: fakeExecutor([{ stdout: "1\n" }]),
      limits: testLimits({ maxAttempts: 1 }),
      outDir: out.path,
      sheriff: false,
    });
    assert.equal(result.status, "failed");
    assert.deepEqual(result.attempts[0].verdict.reasons.length, 1);
  });
});

Deno.test("runTask() refuses a task name that could form a path", async () => {
  await using out = await tempDir();
  const model = scriptedModel([]);
  const executor = fakeExecutor([]);
  await assert.rejects(
    () =>
      runTask(pyTask({ name: "../../escape" }), { model, executor, limits: testLimits(), outDir: out.path }),
    RangeError,
  );
  assert.deepEqual(await Array.fromAsync(Deno.readDir(out.path)), []);
});

const SQUARE_TASK = withDerivedChecks(pyTask({
  name: "square",
  description: "Write a function square(n) that returns n squared.\n\n>>> square(3)\n9\n>>> square(-2)\n4\n",
}));
const SQUARE_WRONG = "def square(n):\n    return n * 2\n\nif __name__ == '__main__':\n    print(square(2))";
const SQUARE_RIGHT = "def square(n):\n    return n * n\n\nif __name__ == '__main__':\n    print(square(2))";

Deno.test("runTask() runs the check derived from the task's examples", async (t) => {
  await using out = await tempDir();
  const model = scriptedModel([
    coderReply(SQUARE_WRONG),
    sheriffReply("PASS", "square(2) printed 4, as expected."),
    coderReply(SQUARE_RIGHT),
    sheriffReply("PASS"),
  ]);
  const events: RunEvent[] = [];
  const result = await runTask(SQUARE_TASK, {
    model,
    limits: testLimits(),
    outDir: out.path,
    emit: (e) => void events.push(e),
  });
  await t.step(
    "it catches the wrong first program although its demo looked right, and overrules the Sheriff",
    () => {
      const first = result.attempts[0];
      assert.equal(first.verdict.passed, false);
      assert.equal(first.verdict.overruled, true);
      assert.match(
        first.checks[0].detail,
        /example 1 of 2 failed: square\(3\)\n {2}expected: 9\n {2}got: {6}6/,
      );
    },
  );
  await t.step("the retry leads with expected against actual", () => {
    const retry = model.requests[2].messages.at(-1)!.content;
    assert.match(
      retry,
      /^Attempt 1 failed\. The check ran your functions and one result is wrong:\n```text\nexample 1 of 2 failed: square\(3\)/,
    );
  });
  await t.step("the repaired program passes", () => {
    assert.equal(result.status, "passed");
    assert.equal(result.attempts.length, 2);
  });
  await t.step("task.json records the derived check", async () => {
    const saved = JSON.parse(await Deno.readTextFile(join(result.dir!, "task.json")));
    assert.equal(saved.derived.from, "description");
    assert.equal(saved.derived.examples.length, 2);
    assert.equal(saved.checks.test, SQUARE_TASK.checks.test);
  });
  await t.step("the Coder saw expectations, never the test program", () => {
    const task = model.requests[0].messages[1].content;
    assert.match(task, /square\(3\) → 9/);
    assert.doesNotMatch(task, /_factory_/);
  });
});

Deno.test("runTask() fails a program whose demo crashes after its functions passed, and says so", async () => {
  await using out = await tempDir();
  const demoCrash = "def square(n):\n    return n * n\n\nif __name__ == '__main__':\n    import doctest\n" +
    "    print(doctest.testmod().failures)";
  const model = scriptedModel([
    coderReply(demoCrash),
    sheriffReply("PASS"),
    coderReply(SQUARE_RIGHT),
    sheriffReply("PASS"),
  ]);
  const result = await runTask(SQUARE_TASK, { model, limits: testLimits(), outDir: out.path });
  const first = result.attempts[0];
  assert.equal(first.checks[0].passed, true, "the functions are right");
  assert.equal(first.verdict.passed, false, "the crash is a failing fact");
  assert.equal(first.verdict.overruled, true, "the Sheriff cannot overrule it");
  assert.match(
    first.verdict.reasons[0],
    /the functions pass the test check, but the program's demo crashed \(exit code 1\)/,
  );
  const retry = model.requests[2].messages.at(-1)!.content;
  assert.match(
    retry,
    /^Attempt 1 failed\. Your functions pass the checks; your demo block crashes \(exit code 1\):/,
  );
  assert.match(retry, /AttributeError: 'TestResults' object has no attribute 'failures'/);
  assert.equal(result.status, "passed");
});

Deno.test("runTask() goes on after a turn stopped at its time limit", async () => {
  await using out = await tempDir();
  const model = scriptedModel([
    { text: "```python\na, b = 0, 1\nfor _ in range(10):\n", finishReason: "time_limit" },
    coderReply(FIB_PROGRAM),
    sheriffReply("PASS"),
  ]);
  const result = await runTask(pyTask(), { model, limits: testLimits(), outDir: out.path });
  assert.equal(result.attempts[0].draft.kind, "truncated");
  assert.equal(result.attempts[0].exec, undefined, "the partial program is not run");
  assert.match(
    model.requests[1].messages.at(-1)!.content,
    /^Attempt 1 failed\. Your previous reply took too long/,
  );
  assert.equal(result.status, "passed");
});

Deno.test("runTask() tells the Coder when its retry sent the same program again", async () => {
  await using out = await tempDir();
  const model = scriptedModel([
    coderReply(SQUARE_WRONG),
    sheriffReply("PASS"),
    coderReply(SQUARE_WRONG),
    coderReply(SQUARE_WRONG), // asked afresh, the same program once more
    sheriffReply("PASS"),
    coderReply(SQUARE_RIGHT),
    sheriffReply("PASS"),
  ]);
  const result = await runTask(SQUARE_TASK, { model, limits: testLimits(), outDir: out.path });
  assert.deepEqual(result.attempts.map((a) => a.unchanged ?? false), [false, true, false]);
  assert.doesNotMatch(model.requests[2].messages.at(-1)!.content, /same as the one before/);
  assert.match(model.requests[3].messages.at(-1)!.content, /you sent the same program again/);
  assert.match(model.requests[5].messages.at(-1)!.content, /This program is the same as the one before it/);
  assert.equal(result.status, "passed");
});
