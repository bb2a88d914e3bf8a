/**
 * `summary.json`: the run's outcome in one small record, built from the result alone (never by running
 * the program again). Its shape is {@linkcode Summary}; `run_schema.ts` reads it back.
 *
 * @module
 */
import { relative } from "node:path";
import type { RunResult, Summary } from "../types.ts";

/**
 * Builds the summary of a finished run. Its `finalScript` is relative to the run's directory when the
 * result says where that is.
 */
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
    finalScript: result.finalScript && result.dir
      ? relative(result.dir, result.finalScript)
      : result.finalScript,
    startedAt: result.startedAt,
    endedAt: result.endedAt,
    limits: result.limits,
    provenance: result.provenance,
  };
}
