import assert from "node:assert/strict";
import { join } from "node:path";
import { runTask } from "../../lib/orchestrator/run_task.ts";
import { FLOOR_TOKENS_PER_SEC } from "../../lib/orchestrator/stop_conditions.ts";
import { withDerivedChecks } from "../../lib/task/derive_checks.ts";
import type { RunEvent } from "../../lib/types.ts";
import { ModelError } from "../../lib/errors.ts";
import {
  coderReply,
  FIB_OUTPUT,
  FIB_PROGRAM,
  processAlive,
  pyTask,
  scriptedModel,
  sheriffReply,
  tempDir,
  testLimits,
} from "../_helpers.ts";

const CRASH = `print("start")\nraise ValueError("boom")`;

async function readJsonLines(path: string): Promise<Record<string, unknown>[]> {
  return (await Deno.readTextFile(path)).trim().split("\n").map((l) => JSON.parse(l));
}

Deno.test("runTask() passes on the first try and writes every artifact", async () => {
  await using out = await tempDir();
  const model = scriptedModel([coderReply(FIB_PROGRAM), sheriffReply("PASS")]);
  const events: RunEvent[] = [];
  const result = await runTask(pyTask({ checks: { stdout: FIB_OUTPUT } }), {
    model,
    limits: testLimits(),
    outDir: out.path,
    emit: (e) => void events.push(e),
  });
  assert.equal(result.status, "passed");
  assert.equal(result.stopReason, "passed");
  assert.equal(result.attempts.length, 1);
  assert.equal(model.remaining(), 0);
  const dir = result.dir!;
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
  assert.equal(summary.finalScript, result.finalScript);
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
  const result = await runTask(pyTask(), { model, limits: testLimits(), outDir: out.path });
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
  const result = await runTask(pyTask(), { model, limits: testLimits({ maxAttempts: 1 }), outDir: out.path });
  assert.equal(result.status, "failed");
  assert.equal(result.stopReason, "max_attempts");
  assert.equal(result.attempts[0].verdict.overruled, true);
  assert.ok(result.attempts[0].verdict.reasons.some((r) => r.includes("exited with code 1")));
  const summary = JSON.parse(await Deno.readTextFile(join(result.dir!, "summary.json")));
  assert.equal(summary.overruledVerdicts, 1);
});

Deno.test("runTask() catches wrong stdout with a check even when the Sheriff says PASS", async () => {
  await using out = await tempDir();
  const model = scriptedModel([coderReply(`print("Total Records: 3")`), sheriffReply("PASS")]);
  const task = pyTask({ checks: { stdoutContains: ["Total Records: 200"] } });
  const result = await runTask(task, { model, limits: testLimits({ maxAttempts: 1 }), outDir: out.path });
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
    const result = await runTask(pyTask(), {
      model,
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
      sheriffReply("FAIL", "Wrong."),
    ]);
    const result = await runTask(pyTask(), {
      model,
      limits: testLimits({ maxAttempts: 10, stagnationThreshold: 2 }),
      outDir: out.path,
    });
    assert.equal(result.stopReason, "stagnation");
    assert.equal(result.attempts.length, 2);
  });
});

Deno.test("runTask() stops when the token budget is spent, counting real usage", async () => {
  await using out = await tempDir();
  const big = { prompt: 600, completion: 300 };
  const model = scriptedModel([
    { text: coderReply(CRASH), usage: big },
    { text: sheriffReply("FAIL"), usage: big },
    coderReply(FIB_PROGRAM),
  ]);
  const result = await runTask(pyTask(), {
    model,
    limits: testLimits({ maxAttempts: 5, totalTokenBudget: 2000 }),
    outDir: out.path,
  });
  assert.equal(result.stopReason, "token_budget");
  assert.equal(result.status, "failed");
  assert.equal(result.tokens.prompt + result.tokens.completion, 1800);
  assert.equal(model.requests.length, 2, "no call is made once the budget cannot fit a prompt");
});

Deno.test("runTask() sends a format reminder when the reply has no code", async () => {
  await using out = await tempDir();
  const model = scriptedModel([
    "I would write a loop that prints numbers.",
    coderReply(FIB_PROGRAM),
    sheriffReply("PASS"),
  ]);
  const result = await runTask(pyTask(), { model, limits: testLimits(), outDir: out.path });
  assert.equal(result.status, "passed");
  assert.equal(result.attempts[0].draft.kind, "no_code");
  assert.equal(result.attempts[0].exec, undefined, "nothing was run");
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
  const result = await runTask(pyTask(), { model, limits: testLimits(), outDir: out.path });
  assert.equal(result.attempts[0].draft.kind, "truncated");
  assert.equal(result.attempts[0].exec, undefined);
  assert.match(model.requests[1].messages.at(-1)!.content, /cut off|truncated|token limit/i);
  assert.equal(result.status, "passed");
});

Deno.test("runTask() kills a grandchild that outlives the timeout", async () => {
  await using out = await tempDir();
  const program = `import subprocess, time
p = subprocess.Popen(["sleep", "60"])
open("grandchild.pid", "w").write(str(p.pid))
time.sleep(60)`;
  const model = scriptedModel([coderReply(program), sheriffReply("FAIL", "It hangs.")]);
  const result = await runTask(pyTask(), {
    model,
    limits: testLimits({ maxAttempts: 1, executionTimeoutMs: 1500 }),
    outDir: out.path,
  });
  assert.equal(result.attempts[0].exec?.kind, "timed_out");
  const pid = Number(await Deno.readTextFile(join(result.attempts[0].workDir, "grandchild.pid")));
  assert.ok(pid > 0);
  assert.equal(processAlive(pid), false, "the sleeping grandchild is dead");
});

Deno.test("runTask() aborted mid-run leaves no process and complete artifacts", async () => {
  await using out = await tempDir();
  const program = `import subprocess, time
p = subprocess.Popen(["sleep", "60"])
open("grandchild.pid", "w").write(str(p.pid))
print("working", flush=True)
time.sleep(60)`;
  const controller = new AbortController();
  const model = scriptedModel([coderReply(program), sheriffReply("PASS")]);
  const result = await runTask(pyTask(), {
    model,
    limits: testLimits(),
    outDir: out.path,
    signal: controller.signal,
    emit: (e) => {
      if (e.kind === "exec_start") setTimeout(() => controller.abort(), 700);
    },
  });
  assert.equal(result.status, "interrupted");
  assert.equal(result.stopReason, "interrupted");
  assert.equal(result.attempts.length, 1);
  assert.equal(result.attempts[0].exec?.kind, "interrupted");
  const pid = Number(await Deno.readTextFile(join(result.attempts[0].workDir, "grandchild.pid")));
  assert.equal(processAlive(pid), false);
  const summary = JSON.parse(await Deno.readTextFile(join(result.dir!, "summary.json")));
  assert.equal(summary.status, "interrupted");
  assert.ok((await Deno.stat(join(result.dir!, "attempt-1", "result.json"))).isFile);
  const last = (await Deno.readTextFile(join(result.dir!, "transcript.jsonl"))).trim().split("\n").at(-1)!;
  assert.equal(JSON.parse(last).kind, "stop");
});

Deno.test("runTask() ends with status error when the model fails, keeping artifacts", async (t) => {
  await t.step("a server error", async () => {
    await using out = await tempDir();
    const model = scriptedModel([{ error: new ModelError("Model server answered 500: boom", "http") }]);
    const result = await runTask(pyTask(), { model, limits: testLimits(), outDir: out.path });
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
      limits: testLimits({ llmTimeoutMs: 200 }),
      outDir: out.path,
    });
    assert.equal(result.stopReason, "model_error");
    assert.match(result.stopDetail, /no answer within 0\.2 s/);
  });
});

Deno.test("runTask() passes limits to every model call", async () => {
  await using out = await tempDir();
  const model = scriptedModel([coderReply(FIB_PROGRAM), sheriffReply("PASS")]);
  await runTask(pyTask(), {
    model,
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
});

Deno.test("runTask() with sheriff: false lets clean facts alone decide", async (t) => {
  await t.step("a clean run passes without asking the Sheriff", async () => {
    await using out = await tempDir();
    const model = scriptedModel([coderReply(FIB_PROGRAM)]);
    const result = await runTask(pyTask({ checks: { stdout: FIB_OUTPUT } }), {
      model,
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
  await assert.rejects(
    () => runTask(pyTask({ name: "../../escape" }), { model, limits: testLimits(), outDir: out.path }),
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
    sheriffReply("PASS"),
    coderReply(SQUARE_RIGHT),
    sheriffReply("PASS"),
  ]);
  const result = await runTask(SQUARE_TASK, { model, limits: testLimits(), outDir: out.path });
  assert.deepEqual(result.attempts.map((a) => a.unchanged ?? false), [false, true, false]);
  assert.doesNotMatch(model.requests[2].messages.at(-1)!.content, /same as the one before/);
  assert.match(model.requests[4].messages.at(-1)!.content, /This program is the same as the one before it/);
  assert.equal(result.status, "passed");
});
