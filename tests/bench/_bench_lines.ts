/** Benchmark result lines for the bench view and notebook tests. */
import { HOSTILE } from "../render/_hostile_run.ts";

/** One `results.jsonl` line in the benchmark's format, with what the view reads filled in. */
export function benchLine(
  taskId: string,
  arm: string,
  passed: boolean,
  attempts: number,
  claimed = passed,
): string {
  const call = (attempt: number) => ({
    attempt,
    persona: "coder",
    promptTokens: 300,
    completionTokens: 100,
    cachedTokens: attempt > 1 ? 250 : 0,
    prefillMs: 400,
    decodeMs: 2000,
    timed: true,
    ms: 2500,
    finishReason: "stop",
  });
  const split = {
    wallMs: 3000 * attempts,
    prefillMs: 400,
    decodeMs: 2000,
    modelMs: 2500,
    execMs: 100,
    overheadMs: 500,
  };
  return JSON.stringify({
    suite: "mbpp",
    taskId,
    arm,
    model: `qwen ${HOSTILE}`,
    passed,
    claimed,
    status: claimed ? "passed" : "failed",
    stopReason: claimed ? "passed" : "max_attempts",
    attempts,
    ...split,
    tokens: { prompt: 300 * attempts, completion: 100 * attempts, cached: 0 },
    truthDetail: passed ? "all asserts pass" : "assert failed",
    attemptDetails: Array.from({ length: attempts }, (_, i) => ({
      n: i + 1,
      draft: "code",
      truth: passed && i === attempts - 1,
      truthDetail: "",
      sheriff: arm === "single" ? "skipped" : i === attempts - 1 && claimed ? "PASS" : "FAIL",
      loopPassed: claimed && i === attempts - 1,
      ...split,
      calls: [call(i + 1)],
    })),
  });
}
