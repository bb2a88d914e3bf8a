/**
 * `summary.json`: the run's outcome in one small record, built from the result alone (never by running
 * the program again).
 *
 * @module
 */
import type { Durations, RunResult, RunStatus, StopReason, TokenTotals } from "../types.ts";

/** The shape of `summary.json`. */
export interface Summary {
  runId: string;
  task: string;
  language: string;
  status: RunStatus;
  stopReason: StopReason;
  stopDetail: string;
  attempts: number;
  passedOnAttempt?: number;
  overruledVerdicts: number;
  tokens: TokenTotals;
  durations: Durations;
  finalScript?: string;
}

/** Builds the summary of a finished run. */
export function summaryOf(result: RunResult): Summary {
  const passed = result.attempts.find((a) => a.verdict.passed);
  return {
    runId: result.runId,
    task: result.task.name,
    language: result.task.language,
    status: result.status,
    stopReason: result.stopReason,
    stopDetail: result.stopDetail,
    attempts: result.attempts.length,
    passedOnAttempt: passed?.number,
    overruledVerdicts: result.attempts.filter((a) => a.verdict.overruled).length,
    tokens: result.tokens,
    durations: result.durations,
    finalScript: result.finalScript,
  };
}
