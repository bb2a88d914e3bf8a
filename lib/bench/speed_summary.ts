/**
 * What a `--speculative` benchmark reports per speed arm, and each arm against the baseline (`off`):
 * time to a passing program (median and p90), runs that needed a retry, decode speed on first turns and
 * on retry turns apart, the share of drafted tokens accepted, prompt caching on retries, and the pass
 * rate (under greedy decoding speculation should change speed, not results). Pure.
 *
 * @module
 */
import type { BenchRecord } from "./record.ts";
import type { CallObservation } from "./observer.ts";
import { type CacheUse, cacheUse } from "./summary.ts";

import { median, percentile, ratio } from "./stats.ts";

/** Completion tokens per second of server decode time over a set of timed calls. */
export interface DecodeRate {
  /** Timed calls counted. */
  calls: number;
  /** Completion tokens of those calls. */
  tokens: number;
  /** Server decode time of those calls, in milliseconds. */
  decodeMs: number;
  /** tokens / seconds of decode; NaN without timed calls. */
  perSec: number;
}

/** One speed arm's figures. */
export interface SpeedSummary {
  /** The arm as written (`off`, `ngram`, `draft:n-max=8`). */
  label: string;
  /** Runs in the arm. */
  tasks: number;
  /** Runs whose final program passes the hidden ground truth. */
  passed: number;
  /** passed / tasks. */
  passRate: number;
  /** Wall time of the passing runs: the time to a passing program. */
  passWallMedianMs: number;
  /** The 90th percentile of the same. */
  passWallP90Ms: number;
  /** Runs that needed a retry (two attempts or more), passed or not. */
  retried: number;
  /** Their median wall time. */
  retriedWallMedianMs: number;
  /** The Coder's first turns, its retry turns, and every Sheriff turn. */
  coderFirst: DecodeRate;
  /** The Coder's turns on attempts 2 and later. */
  coderRetry: DecodeRate;
  /** Every Sheriff turn. */
  sheriff: DecodeRate;
  /** Speculative decoding over every call: tokens drafted, accepted, and accepted / drafted. */
  acceptance: { drafted: number; accepted: number; rate: number };
  /** Cached / prompt tokens of the calls of attempts 2 and later (both personas). */
  retryCache: CacheUse;
  /** Cached / prompt tokens of the Coder's retry turns (attempts 2 and later). */
  coderRetryCache: CacheUse;
}

/** One arm against the baseline: above 1 means faster (times) or more tokens per second (rates). */
export interface SpeedRatio {
  /** The arm compared. */
  label: string;
  /** baseline median wall to PASS / this arm's. */
  passWallMedian: number;
  /** baseline p90 wall to PASS / this arm's. */
  passWallP90: number;
  /** The median over tasks both arms passed of baseline wall / this arm's wall (a paired comparison). */
  pairedPassSpeedup: number;
  /** How many tasks both arms passed. */
  pairedTasks: number;
  /** baseline median wall of retried runs / this arm's. */
  retriedWallMedian: number;
  /** this arm's decode tokens/s / the baseline's. */
  coderFirst: number;
  /** The same on the Coder's retry turns. */
  coderRetry: number;
  /** this arm's pass rate − the baseline's, in percentage points. */
  passRatePoints: number;
  /**
   * Tasks whose programs (every attempt's, by sha256) equal the baseline's, of the tasks both ran, and
   * those whose first program does: at temperature 0 speculation should change speed, not programs.
   */
  programs: { compared: number; sameFirst: number; sameAll: number };
}

/** Decode speed over `calls` that the server timed. */
export function decodeRate(calls: readonly CallObservation[]): DecodeRate {
  const timed = calls.filter((c) => c.timed && c.decodeMs > 0);
  const tokens = timed.reduce((s, c) => s + c.completionTokens, 0);
  const decodeMs = timed.reduce((s, c) => s + c.decodeMs, 0);
  return { calls: timed.length, tokens, decodeMs, perSec: ratio(tokens, decodeMs / 1000) };
}

/** Summarises the records of one speed arm. */
export function summarizeSpeedArm(label: string, records: readonly BenchRecord[]): SpeedSummary {
  const calls = records.flatMap((r) => r.attemptDetails.flatMap((a) => a.calls));
  const coder = calls.filter((c) => c.persona === "coder");
  const passing = records.filter((r) => r.passed);
  const retried = records.filter((r) => r.attempts >= 2);
  const drafted = calls.reduce((s, c) => s + (c.draftTokens ?? 0), 0);
  const accepted = calls.reduce((s, c) => s + (c.draftAccepted ?? 0), 0);
  return {
    label,
    tasks: records.length,
    passed: passing.length,
    passRate: ratio(passing.length, records.length),
    passWallMedianMs: median(passing.map((r) => r.wallMs)),
    passWallP90Ms: percentile(passing.map((r) => r.wallMs), 90),
    retried: retried.length,
    retriedWallMedianMs: median(retried.map((r) => r.wallMs)),
    coderFirst: decodeRate(coder.filter((c) => c.attempt === 1)),
    coderRetry: decodeRate(coder.filter((c) => c.attempt >= 2)),
    sheriff: decodeRate(calls.filter((c) => c.persona === "sheriff")),
    acceptance: { drafted, accepted, rate: ratio(accepted, drafted) },
    retryCache: cacheUse(calls.filter((c) => c.attempt >= 2)),
    coderRetryCache: cacheUse(coder.filter((c) => c.attempt >= 2)),
  };
}

/** Summaries of every speed arm in `labels` order that has records. */
export function summarizeSpeed(labels: readonly string[], records: readonly BenchRecord[]): SpeedSummary[] {
  return labels
    .map((label) => summarizeSpeedArm(label, records.filter((r) => r.speculative === label)))
    .filter((s) => s.tasks > 0);
}

/** Each arm against `baseline` (default `off`); empty when the baseline has no records. */
export function speedRatios(
  summaries: readonly SpeedSummary[],
  records: readonly BenchRecord[],
  baseline = "off",
): SpeedRatio[] {
  const base = summaries.find((s) => s.label === baseline);
  if (!base) return [];
  const passedWall = (label: string) =>
    new Map(
      records.filter((r) => r.speculative === label && r.passed).map((
        r,
      ) => [`${r.arm} ${r.taskId}`, r.wallMs]),
    );
  const baseWall = passedWall(baseline);
  // Records written before programs were hashed cannot be compared: a program without a hash is skipped.
  const hashed = (r: BenchRecord) => r.attemptDetails.every((a) => a.draft !== "code" || a.programSha256);
  const hashes = (label: string) =>
    new Map(
      records.filter((r) => r.speculative === label && hashed(r)).map((r) => [
        `${r.arm} ${r.taskId}`,
        r.attemptDetails.map((a) => a.programSha256 ?? "-"),
      ]),
    );
  const baseHashes = hashes(baseline);
  return summaries.map((s) => {
    const paired = [...passedWall(s.label)].flatMap(([key, ms]) => {
      const b = baseWall.get(key);
      return b === undefined ? [] : [ratio(b, ms)];
    });
    return {
      label: s.label,
      passWallMedian: ratio(base.passWallMedianMs, s.passWallMedianMs),
      passWallP90: ratio(base.passWallP90Ms, s.passWallP90Ms),
      pairedPassSpeedup: median(paired),
      pairedTasks: paired.length,
      retriedWallMedian: ratio(base.retriedWallMedianMs, s.retriedWallMedianMs),
      coderFirst: ratio(s.coderFirst.perSec, base.coderFirst.perSec),
      coderRetry: ratio(s.coderRetry.perSec, base.coderRetry.perSec),
      passRatePoints: (s.passRate - base.passRate) * 100,
      programs: samePrograms(baseHashes, hashes(s.label)),
    };
  });
}

function samePrograms(base: Map<string, string[]>, arm: Map<string, string[]>): SpeedRatio["programs"] {
  const counts = { compared: 0, sameFirst: 0, sameAll: 0 };
  for (const [key, programs] of arm) {
    const other = base.get(key);
    if (!other) continue;
    counts.compared++;
    if (programs[0] === other[0]) counts.sameFirst++;
    if (programs.join() === other.join()) counts.sameAll++;
  }
  return counts;
}
