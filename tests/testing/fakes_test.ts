/** The published fakes (`@factory/factory/testing`) do what their documentation says. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ModelError } from "../../lib/errors.ts";
import type { ChatRequest, ExecResult } from "../../lib/types.ts";
import { captured, coderReply, fakeClock, fakeExecutor, scriptedModel, sheriffReply } from "../_fakes.ts";
import { tempDir } from "../_helpers.ts";

function request(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    messages: [{ role: "user", content: "hi" }],
    maxTokens: 64,
    temperature: 0,
    timeoutMs: 5_000,
    ...overrides,
  };
}

Deno.test("scriptedModel() answers in order, streams, records, and says when the script ran out", async () => {
  const model = scriptedModel([
    coderReply("print(1)"),
    { text: sheriffReply("FAIL"), finishReason: "length", usage: { promptTokens: 7 }, ms: 9 },
  ]);
  const pieces: string[] = [];
  const first = await model.chat(request({ onToken: (text) => pieces.push(text) }));
  assert.equal(first.text, coderReply("print(1)"));
  assert.equal(pieces.join(""), first.text);
  assert.ok(pieces.length > 1, "the reply is streamed in pieces");
  assert.deepEqual(first.usage, {
    promptTokens: 100,
    completionTokens: 50,
    cachedTokens: 0,
    estimated: false,
  });
  const second = await model.chat(request());
  assert.deepEqual(
    [second.finishReason, second.usage.promptTokens, second.usage.completionTokens, second.ms],
    [
      "length",
      7,
      50,
      9,
    ],
  );
  assert.equal(model.requests.length, 2);
  assert.equal(model.remaining(), 0);
  await assert.rejects(model.chat(request()), RangeError);
});

Deno.test("scriptedModel() fails, hangs and aborts like a model server", async (t) => {
  await t.step("a scripted error is thrown as is", async () => {
    const error = new ModelError("Model server answered 500", "http");
    await assert.rejects(scriptedModel([{ error }]).chat(request()), (thrown) => thrown === error);
  });
  await t.step("a hang ends with a timeout ModelError after timeoutMs", async () => {
    const model = scriptedModel([{ hang: true }]);
    await assert.rejects(
      model.chat(request({ timeoutMs: 20 })),
      (error: ModelError) => error.reason === "timeout",
    );
  });
  await t.step("a hang ends with an AbortError when the signal aborts", async () => {
    const controller = new AbortController();
    const pending = scriptedModel([{ hang: true }]).chat(request({ signal: controller.signal }));
    controller.abort();
    await assert.rejects(pending, (error: Error) => error.name === "AbortError");
  });
  await t.step("an already aborted request gets no reply", async () => {
    const controller = new AbortController();
    controller.abort(new DOMException("Aborted", "AbortError"));
    await assert.rejects(scriptedModel(["x"]).chat(request({ signal: controller.signal })), DOMException);
  });
});

Deno.test("scriptedModel() with a responder picks each answer from the request", async () => {
  const model = scriptedModel((req, index) => `${index}: ${req.messages[0].content}`);
  assert.equal((await model.chat(request())).text, "0: hi");
  assert.equal((await model.chat(request())).text, "1: hi");
  assert.equal(model.remaining(), 0);
});

Deno.test("fakeExecutor() runs nothing: scripted results, files in the work dir, and the real checks", async () => {
  await using dir = await tempDir();
  const refused: ExecResult = { kind: "refused", reason: "no sandbox" };
  const executor = fakeExecutor([{ stdout: "55\n", files: { "out/result.txt": "55" } }, refused]);
  const program = { language: "python" as const, code: "print(55)", dir: dir.path };
  const run = await executor.execute(program, { timeoutMs: 1_000 });
  assert.deepEqual(run, { kind: "exited", code: 0, stdout: captured("55\n"), stderr: captured(""), ms: 5 });
  assert.equal(await Deno.readTextFile(join(dir.path, "out", "result.txt")), "55");
  const context = { dir: dir.path, language: "python" as const, timeoutMs: 1_000 };
  const checks = await executor.runChecks(
    { stdout: "55", files: ["out/result.txt", "missing.txt"] },
    run,
    context,
  );
  assert.deepEqual(checks.map((c) => [c.name, c.passed]), [["stdout", true], ["files", false]]);
  assert.deepEqual(await executor.execute(program, { timeoutMs: 1_000 }), refused);
  assert.deepEqual(executor.programs.map((p) => p.timeoutMs), [1_000, 1_000]);
  await assert.rejects(executor.execute(program, { timeoutMs: 1_000 }), RangeError);
});

Deno.test("fakeExecutor() hangs until the timeout or the abort", async (t) => {
  await using dir = await tempDir();
  const program = { language: "python" as const, code: "while True: pass", dir: dir.path };
  await t.step("timed_out after timeoutMs", async () => {
    const run = await fakeExecutor([{ hang: true }]).execute(program, { timeoutMs: 20 });
    assert.deepEqual([run.kind, run.kind === "timed_out" && run.afterMs], ["timed_out", 20]);
  });
  await t.step("interrupted when the signal aborts", async () => {
    const controller = new AbortController();
    const pending = fakeExecutor([{ hang: true }]).execute(program, {
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    controller.abort();
    assert.equal((await pending).kind, "interrupted");
  });
});

Deno.test("fakeExecutor() decides the test check only when told how", async () => {
  await using dir = await tempDir();
  const context = { dir: dir.path, language: "python" as const, timeoutMs: 1_000 };
  const run: ExecResult = { kind: "exited", code: 0, stdout: captured(""), stderr: captured(""), ms: 1 };
  const [undecided] = await fakeExecutor([]).runChecks({ test: "assert True" }, run, context);
  assert.deepEqual([undecided.name, undecided.passed], ["test", false]);
  assert.match(undecided.detail, /not run/);
  const seen: string[] = [];
  const decided = fakeExecutor([], { test: (code) => (seen.push(code), true) });
  assert.deepEqual((await decided.runChecks({ test: "assert True" }, run, context))[0].passed, true);
  assert.deepEqual(seen, ["assert True"]);
});

Deno.test("fakeClock() moves only when told to, or by stepMs on each read", async (t) => {
  await t.step("still until advanced or set", () => {
    const clock = fakeClock(new Date("2026-01-01T00:00:00Z"));
    assert.equal(clock.now(), clock.now());
    clock.advance(1_500);
    assert.equal(clock.date().toISOString(), "2026-01-01T00:00:01.500Z");
    clock.set(42);
    assert.equal(clock.now(), 42);
  });
  await t.step("stepMs on every read", () => {
    const clock = fakeClock(100, { stepMs: 10 });
    assert.deepEqual([clock.now(), clock.now(), clock.date().getTime()], [100, 110, 120]);
  });
  await t.step("a bad start or step is a RangeError", () => {
    assert.throws(() => fakeClock(Number.NaN), RangeError);
    assert.throws(() => fakeClock(0, { stepMs: -1 }), RangeError);
  });
});
