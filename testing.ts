/**
 * Fakes for testing code built on factory without a model server, a sandbox or Python: a model that
 * answers from a script, an executor that runs nothing, a clock that moves only when told to, and
 * builders of the replies a Coder and a Sheriff write.
 *
 * ```ts
 * import assert from "node:assert/strict";
 * import { runTask, taskFromText } from "@factory/factory";
 * import { coderReply, fakeExecutor, scriptedModel, sheriffReply } from "@factory/factory/testing";
 *
 * const task = taskFromText("Print 55");
 * const model = scriptedModel([coderReply("print(55)"), sheriffReply("PASS")]);
 * const executor = fakeExecutor([{ stdout: "55\n" }]);
 * const limits = {
 *   maxAttempts: 1,
 *   executionTimeoutMs: 1_000,
 *   llmTimeoutMs: 1_000,
 *   maxTokensPerTurn: 256,
 *   totalTokenBudget: 10_000,
 *   temperature: 0,
 *   retryTemperature: 0,
 *   stagnationThreshold: 3,
 * };
 * const outDir = await Deno.makeTempDir();
 * const result = await runTask(task, { model, executor, limits, outDir });
 * assert.equal(result.status, "passed");
 * assert.equal(executor.programs[0].code.trim(), "print(55)");
 * await Deno.remove(outDir, { recursive: true });
 * ```
 *
 * @module
 */

export {
  type ScriptedModel,
  scriptedModel,
  type ScriptedReply,
  type ScriptedResponder,
} from "./lib/testing/scripted_model.ts";
export {
  captured,
  type FakeExecutor,
  fakeExecutor,
  type FakeExecutorOptions,
  type FakeProgram,
  type FakeRun,
  type FakeRunner,
} from "./lib/testing/fake_executor.ts";
export { type FakeClock, fakeClock, type FakeClockOptions } from "./lib/testing/fake_clock.ts";
export { coderReply, reply, sheriffReply } from "./lib/testing/replies.ts";

/** The types the fakes take and give, as `@factory/factory` exports them. */
export type {
  Captured,
  ChatMessage,
  ChatModel,
  ChatRequest,
  CheckResult,
  Checks,
  ExecResult,
  Executor,
  FinishReason,
  Language,
  ModelReply,
  Usage,
} from "./lib/types.ts";
