/**
 * The `single` arm scored from the `loop` arm's first attempt: the same Coder prompt, program, checks and
 * Sheriff verdict, the run stopped after one attempt. Pairs the two arms exactly and saves a run. Pure.
 *
 * @module
 */
import type { RunStatus, StopReason } from "../types.ts";
import type { AttemptRecord, BenchRecord, TimeSplit } from "./record.ts";

/** The `single` record a one-attempt run would have made, read off `loop`'s first attempt. */
export function singleFromLoop(loop: BenchRecord): BenchRecord {
  const first = loop.attemptDetails[0];
  if (!first) {
    const { runDir: _, ...rest } = loop;
    return { ...rest, arm: "single", derivedFrom: "loop" };
  }
  const { status, stopReason } = oneAttemptEnd(loop, first);
  const { calls } = first;
  return {
    suite: loop.suite,
    taskId: loop.taskId,
    arm: "single",
    ...(loop.speculative === undefined ? {} : { speculative: loop.speculative }),
    model: loop.model,
    passed: first.truth === true,
    claimed: first.loopPassed,
    hasChecks: loop.hasChecks,
    derivedExamples: loop.derivedExamples,
    status,
    stopReason,
    attempts: 1,
    ...timeSplit(first),
    tokens: {
      prompt: calls.reduce((s, c) => s + c.promptTokens, 0),
      completion: calls.reduce((s, c) => s + c.completionTokens, 0),
      cached: calls.reduce((s, c) => s + c.cachedTokens, 0),
    },
    truthDetail: first.draft === "code" ? first.truthDetail : "no program was written",
    attemptDetails: [first],
    derivedFrom: "loop",
  };
}

/**
 * How a run capped at one attempt ends: passed when attempt 1 passed; the loop's own end when the loop
 * stopped after attempt 1 anyway (a model error, a spent budget); otherwise the attempt cap.
 */
function oneAttemptEnd(
  loop: BenchRecord,
  first: AttemptRecord,
): { status: RunStatus; stopReason: StopReason } {
  if (first.loopPassed) return { status: "passed", stopReason: "passed" };
  if (loop.attempts === 1) return { status: loop.status, stopReason: loop.stopReason };
  return { status: "failed", stopReason: "max_attempts" };
}

function timeSplit(a: TimeSplit): TimeSplit {
  return {
    wallMs: a.wallMs,
    prefillMs: a.prefillMs,
    decodeMs: a.decodeMs,
    modelMs: a.modelMs,
    waitMs: a.waitMs,
    execMs: a.execMs,
    overheadMs: a.overheadMs,
  };
}
