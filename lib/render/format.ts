/**
 * Small pure formatters shared by the renderers.
 *
 * @module
 */
import type { CheckResult, Draft, ExecResult, RunResult, SheriffOpinion } from "../types.ts";
import { plural } from "../host/plural.ts";

/** `1.23 s` or `850 ms`. */
export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
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
      return `reply cut off at the token limit, not run · ${tokens}`;
    case "no_code":
      return `reply held no code block · ${tokens}`;
    default: {
      const never: never = draft;
      return never;
    }
  }
}

/** One line about how a program run ended, with factory's notes on it (never program output). */
export function describeExec(result: ExecResult): string {
  switch (result.kind) {
    case "exited":
      return `exit ${result.code} · program ${seconds(result.ms)} · stdout ${result.stdout.bytes} B${
        result.stdout.truncated ? " (truncated)" : ""
      } · stderr ${result.stderr.bytes} B${notesOf(result)}`;
    case "timed_out":
      return `timed out after ${seconds(result.afterMs)}, process tree killed${notesOf(result)}`;
    case "interrupted":
      return `interrupted after ${seconds(result.afterMs)}${notesOf(result)}`;
    case "refused":
      return `not run: ${result.reason}`;
    default: {
      const never: never = result;
      return never;
    }
  }
}

/** factory's notes on a run after ` · sandbox: `, or "". */
function notesOf(result: { notes?: { text: string }[] }): string {
  const notes = result.notes ?? [];
  return notes.length === 0 ? "" : ` · sandbox: ${notes.map((note) => note.text).join("; ")}`;
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
    `${
      plural(result.attempts.length, "attempt")
    } · tokens ${t.prompt} prompt + ${t.completion} completion (${t.cached} cached)${
      t.estimated ? ", partly estimated" : ""
    }`,
    `time ${seconds(d.totalMs)}: model ${seconds(d.modelMs)}, programs incl. sandbox set-up and checks ${
      seconds(d.execMs)
    }, orchestration ${seconds(d.orchestrationMs)}`,
    ...(result.finalScript ? [`final script ${result.finalScript}`] : []),
    ...(result.dir ? [`artifacts ${result.dir}`] : []),
  ];
}
