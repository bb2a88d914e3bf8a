/**
 * Small pure formatters shared by the renderers.
 *
 * @module
 */
import type {
  CheckResult,
  DerivedChecks,
  Draft,
  ExecResult,
  ModelReply,
  RunResult,
  SheriffOpinion,
} from "../types.ts";
import { plural } from "../host/plural.ts";

/** `1.23 s` or `850 ms`. */
export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/**
 * A turn's decode speed and, when speculative decoding drafted tokens, how many the model accepted:
 * `31.5 tokens/s · 150/180 drafted tokens accepted (83%)`. Empty when the server reported no timings.
 */
export function describeSpeed(reply: ModelReply): string {
  const t = reply.timings;
  if (!t || !(t.decodeMs > 0)) return "";
  const speed = `${(reply.usage.completionTokens / (t.decodeMs / 1000)).toFixed(1)} tokens/s`;
  if (!t.draftTokens) return speed;
  const accepted = t.draftAccepted ?? 0;
  const rate = Math.round((accepted / t.draftTokens) * 100);
  return `${speed} · ${accepted}/${t.draftTokens} drafted tokens accepted (${rate}%)`;
}

/** `checks: 4 examples derived from the task`. */
export function describeDerived(derived: DerivedChecks): string {
  const count = derived.examples.filter((example) => example.kind !== "setup").length;
  return `checks: ${count} example${count === 1 ? "" : "s"} derived from the task`;
}

/** One line about a Coder draft. */
export function describeDraft(draft: Draft): string {
  const speed = describeSpeed(draft.reply);
  const tokens = `${draft.reply.usage.completionTokens} tokens${
    draft.reply.usage.estimated ? " (estimated)" : ""
  }${speed ? ` · ${speed}` : ""}`;
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
    ...speedLines(result),
    ...(result.finalScript ? [`final script ${result.finalScript}`] : []),
    ...(result.dir ? [`artifacts ${result.dir}`] : []),
  ];
}

/**
 * The run's decode speed per persona and the share of drafted tokens accepted, over the turns the
 * server timed: `decode: Coder 33.1 tokens/s, Sheriff 28.0 tokens/s · speculation accepted 83% of 1234
 * drafted tokens`. No line when no turn was timed.
 */
function speedLines(result: RunResult): string[] {
  const turns = { Coder: [] as ModelReply[], Sheriff: [] as ModelReply[] };
  for (const attempt of result.attempts) {
    turns.Coder.push(attempt.draft.reply);
    if (attempt.sheriff.kind !== "skipped") turns.Sheriff.push(attempt.sheriff.reply);
  }
  const speeds = Object.entries(turns).flatMap(([who, replies]) => {
    const timed = replies.filter((r) => r.timings && r.timings.decodeMs > 0);
    const ms = timed.reduce((sum, r) => sum + r.timings!.decodeMs, 0);
    const tokens = timed.reduce((sum, r) => sum + r.usage.completionTokens, 0);
    return ms > 0 ? [`${who} ${(tokens / (ms / 1000)).toFixed(1)} tokens/s`] : [];
  });
  if (speeds.length === 0) return [];
  const all = [...turns.Coder, ...turns.Sheriff];
  const drafted = all.reduce((sum, r) => sum + (r.timings?.draftTokens ?? 0), 0);
  const accepted = all.reduce((sum, r) => sum + (r.timings?.draftAccepted ?? 0), 0);
  const speculation = drafted > 0
    ? ` · speculation accepted ${Math.round((accepted / drafted) * 100)}% of ${drafted} drafted tokens`
    : "";
  return [`decode: ${speeds.join(", ")}${speculation}`];
}
