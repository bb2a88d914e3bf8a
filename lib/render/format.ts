/**
 * Small pure formatters shared by the renderers.
 *
 * @module
 */
import type { CheckResult, DerivedChecks, Draft, ExecResult, RunResult, SheriffOpinion } from "../types.ts";

/** `1.23 s` or `850 ms`. */
export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** `checks: 4 examples derived from the task`. */
export function describeDerived(derived: DerivedChecks): string {
  const count = derived.examples.filter((example) => example.kind !== "setup").length;
  return `checks: ${count} example${count === 1 ? "" : "s"} derived from the task`;
}

/** One line about a Coder draft. */
export function describeDraft(draft: Draft): string {
  const tokens = `${draft.reply.usage.completionTokens} tokens${
    draft.reply.usage.estimated ? " (estimated)" : ""
  }`;
  switch (draft.kind) {
    case "code":
      return `wrote ${draft.code.split("\n").length} lines · ${tokens} · ${seconds(draft.reply.ms)}`;
    case "truncated":
      return draft.reply.finishReason === "time_limit"
        ? `reply stopped at the time limit, not run · ${tokens}`
        : `reply cut off at the token limit, not run · ${tokens}`;
    case "no_code":
      return `reply held no code block · ${tokens}`;
    default: {
      const never: never = draft;
      return never;
    }
  }
}

/** One line about how a program run ended. */
export function describeExec(result: ExecResult): string {
  switch (result.kind) {
    case "exited":
      return `exit ${result.code} · ${seconds(result.ms)} · stdout ${result.stdout.bytes} B${
        result.stdout.truncated ? " (truncated)" : ""
      } · stderr ${result.stderr.bytes} B`;
    case "timed_out":
      return `timed out after ${seconds(result.afterMs)}, process tree killed`;
    case "interrupted":
      return `interrupted after ${seconds(result.afterMs)}`;
    case "refused":
      return `not run: ${result.reason}`;
    default: {
      const never: never = result;
      return never;
    }
  }
}

/** `3/4 checks passed`. */
export function describeChecks(results: readonly CheckResult[]): string {
  return `${results.filter((r) => r.passed).length}/${results.length} checks passed`;
}

/** One line about the Sheriff's opinion. */
export function describeOpinion(opinion: SheriffOpinion): string {
  switch (opinion.kind) {
    case "verdict":
      return `${opinion.verdict}${opinion.analysis ? ` — ${opinion.analysis.split("\n")[0]}` : ""}`;
    case "unparsable":
      return `unreadable reply (counts as FAIL): ${opinion.error}`;
    case "skipped":
      return `not asked: ${opinion.reason}`;
    default: {
      const never: never = opinion;
      return never;
    }
  }
}

/** The closing lines of a run, for people. */
export function describeResult(result: RunResult): string[] {
  const t = result.tokens;
  const d = result.durations;
  return [
    `${result.status.toUpperCase()} · ${result.stopDetail}`,
    `attempts ${result.attempts.length} · tokens ${t.prompt} prompt + ${t.completion} completion (${t.cached} cached)${
      t.estimated ? ", partly estimated" : ""
    }`,
    `time ${seconds(d.totalMs)}: model ${seconds(d.modelMs)}, programs ${seconds(d.execMs)}, orchestration ${
      seconds(d.orchestrationMs)
    }`,
    ...(result.finalScript ? [`final script ${result.finalScript}`] : []),
    ...(result.dir ? [`artifacts ${result.dir}`] : []),
  ];
}
