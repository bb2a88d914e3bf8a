import assert from "node:assert/strict";
import { RunObserver } from "../../lib/bench/observer.ts";
import type { Executor } from "../../lib/types.ts";
import type { ChatModel, ExecResult, RunEvent } from "../../lib/types.ts";
import { ModelError } from "../../lib/errors.ts";
import { reply } from "../_fakes.ts";
import { pyTask, testLimits } from "../_helpers.ts";

const EXITED: ExecResult = {
  kind: "exited",
  code: 0,
  ms: 1,
  stdout: { text: "", bytes: 0, truncated: false },
  stderr: { text: "", bytes: 0, truncated: false },
};

Deno.test("RunObserver", async (t) => {
  let clock = 0;
  const base: Executor = {
    execute: () => {
      clock += 70;
      return Promise.resolve(EXITED);
    },
    runChecks: () => {
      clock += 30;
      return Promise.resolve([]);
    },
  };
  const failing: ChatModel = {
    chat: () => {
      clock += 250;
      return Promise.reject(new ModelError("Model call timed out after 0.3 s", "timeout"));
    },
  };
  const observer = new RunObserver(base, failing, () => clock);
  const emit = (event: RunEvent) => observer.sink(event);
  const program = { language: "python" as const, code: "", dir: "/x" };
  const context = { dir: "/x", language: "python" as const, timeoutMs: 1 };

  await emit({ kind: "run_start", runId: "r", task: pyTask(), limits: testLimits() });
  for (const n of [1, 2]) {
    clock += 5;
    await emit({ kind: "coder_start", attempt: n });
    clock += 1000;
    const draft = n === 2 ? { draftTokens: 64, draftAccepted: 48 } : {};
    const model = { ...reply("x"), timings: { prefillMs: 300, decodeMs: 600, ...draft } };
    await emit({ kind: "model_call", attempt: n, persona: "coder", messages: [], reply: model });
    await observer.executor.execute(program, { timeoutMs: 1 });
    await observer.executor.runChecks({}, EXITED, context);
    await emit({ kind: "verdict", attempt: n, verdict: { passed: false, overruled: false, reasons: [] } });
  }
  const request = { messages: [], maxTokens: 1, temperature: 0, timeoutMs: 300 };
  await assert.rejects(observer.model.chat(request), ModelError);
  clock += 8;
  await emit({ kind: "model_call", attempt: 2, persona: "sheriff", messages: [], error: "boom" });

  await t.step("times program and check runs for the attempt in progress", () => {
    assert.equal(observer.attemptTime(1).execMs, 100);
    assert.equal(observer.attemptTime(2).execMs, 100);
  });
  await t.step(
    "spans each attempt up to its verdict; the last one also gets the time up to the stop",
    async () => {
      assert.equal(observer.attemptTime(1).wallMs, 1105);
      assert.equal(observer.attemptTime(2).wallMs, 1105);
      await emit({ kind: "stop", result: undefined as never });
      assert.equal(observer.attemptTime(2).wallMs, 1363);
    },
  );
  await t.step("keeps each call with its usage and timings, and every call's messages", () => {
    assert.equal(observer.calls.length, 3);
    assert.deepEqual(
      [
        observer.calls[0].attempt,
        observer.calls[0].prefillMs,
        observer.calls[0].decodeMs,
        observer.calls[0].timed,
      ],
      [1, 300, 600, true],
    );
    assert.equal(observer.messages.length, 3);
    assert.equal("draftTokens" in observer.calls[0], false, "no speculation, no draft fields");
    assert.deepEqual([observer.calls[1].draftTokens, observer.calls[1].draftAccepted], [64, 48]);
  });
  await t.step("keeps a failed call with the time the model took to fail", () => {
    const failed = observer.calls[2];
    assert.deepEqual([failed.persona, failed.ms, failed.error, failed.timed, failed.promptTokens], [
      "sheriff",
      250,
      "boom",
      false,
      0,
    ]);
  });
  await t.step("reports zeros for an attempt that never started", () => {
    assert.deepEqual(observer.attemptTime(9), { wallMs: 0, execMs: 0 });
  });
});
