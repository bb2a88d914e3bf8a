/**
 * `summary.json`: the run's outcome in one small record, built from the result alone (never by running
 * the program again).
 *
 * @module
 */
import type { Durations, RunResult, RunStatus, StopReason, TokenTotals } from "../types.ts";

/** The shape of `summary.json`. */
export interface Summary {
  /** The run's id (its directory name). */
  runId: string;
  /** The task's name (a slug). */
  task: string;
  /** The program's language. */
  language: string;
  /** passed | failed | error | interrupted. */
  status: RunStatus;
  /** What stopped the loop. */
  stopReason: StopReason;
  /** Why, in a sentence. */
  stopDetail: string;
  /** How many attempts were made. */
  attempts: number;
  /** The attempt that passed, when one did. */
  passedOnAttempt?: number;
  /** Attempts where the Sheriff said PASS and the facts overruled it. */
  overruledVerdicts: number;
  /** Tokens over the run. */
  tokens: TokenTotals;
  /** Model, execution and orchestration time. */
  durations: Durations;
  /** Path of the last program written (the passing one when passed). */
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
