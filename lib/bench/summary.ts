/**
 * Per-arm summaries of benchmark records: pass rate, attempts, time, the Sheriff against the ground
 * truth, orchestration overhead and prompt caching. Pure.
 *
 * @module
 */
import { ARMS } from "./arms.ts";
import type { AttemptRecord, BenchRecord } from "./record.ts";
import type { CallObservation } from "./observer.ts";
import { mean, median, percentile, ratio } from "./stats.ts";

/** How the Sheriff's verdicts compare with the ground truth on the same programs. */
export interface Agreement {
  /** Attempts with a program that the Sheriff was asked about. */
  judged: number;
  /** Attempts where the Sheriff's verdict matched the ground truth. */
  agreed: number;
  /** The Sheriff said PASS, the ground truth failed. */
  falsePass: number;
  /** The Sheriff said FAIL (or broke its format), the ground truth passed. */
  falseFail: number;
}

/** Cached and total prompt tokens over a set of calls. */
export interface CacheUse {
  /** Prompt tokens served from the server's cache. */
  cached: number;
  /** Prompt tokens in all. */
  prompt: number;
  /** cached / prompt; NaN without calls. */
  ratio: number;
}

/** A count out of a total, with the rate (NaN when the total is 0). */
export interface Share {
  /** How many of the total meet the condition. */
  count: number;
  /** The total the count is out of. */
  of: number;
  /** count / of; NaN when `of` is 0. */
  rate: number;
}

/** Sheriff false PASSes per task, split by whether the loop had checks on the task. */
export interface FalsePassRates {
  /** Tasks with checks: tasks where the Sheriff said PASS on a program the ground truth fails, of tasks it judged. */
  withChecks: Share;
  /** The same for tasks without checks. */
  withoutChecks: Share;
}

/** One arm's summary. */
export interface ArmSummary {
  /** The arm's name; in a notebook view of a `--speculative` run, `arm · speed arm`. */
  arm: string;
  /** Tasks run in this arm. */
  tasks: number;
  /** Tasks whose final program passes the ground truth. */
  passed: number;
  /** passed / tasks; NaN without tasks. */
  passRate: number;
  /** Of the tasks whose first attempt failed the ground truth, those whose final program passes; NaN for one-shot arms. */
  repair: Share;
  /** Tasks where the Sheriff said PASS on a program the ground truth fails, with checks and without. */
  falsePass: FalsePassRates;
  /** Programs that imitate the checks (see `imitation`), of all programs written. */
  imitation: Share;
  /** Runs that ended with status `error`, of all runs. */
  errors: Share;
  /** Median attempts per task. */
  medianAttempts: number;
  /** Mean attempts per task. */
  meanAttempts: number;
  /** Median wall time per task, in milliseconds. */
  medianWallMs: number;
  /** The Sheriff against the ground truth over every attempt it judged. */
  agreement: Agreement;
  /** The loop ended with "passed" on a program the ground truth fails. */
  falseClaims: number;
  /** The loop ended without "passed" although its final program passes the ground truth. */
  missedPasses: number;
  /** Median orchestration overhead per attempt, in milliseconds. */
  overheadMedianMs: number;
  /** 90th percentile of orchestration overhead per attempt, in milliseconds. */
  overheadP90Ms: number;
  /** Model calls of attempt 2 and later, both personas. */
  retryCache: CacheUse;
  /**
   * The Coder's retry turns (attempt 2 and later): the conversation its slot has cached plus one
   * feedback message, where prompt caching matters most.
   */
  coderRetryCache: CacheUse;
  /** Model calls of attempt 1. */
  firstCache: CacheUse;
  /** Mean per task. */
  meanSplit: { prefillMs: number; decodeMs: number; waitMs: number; execMs: number; overheadMs: number };
  /** Median per attempt of model time not covered by server timings (transport, queueing). */
  waitMedianMs: number;
  /** Completion tokens per second of server decode time. */
  decodeTokensPerSec: number;
}

/** Counts agreement of the Sheriff with the ground truth over attempts that had both. */
export function agreementOf(attempts: readonly AttemptRecord[]): Agreement {
  const result: Agreement = { judged: 0, agreed: 0, falsePass: 0, falseFail: 0 };
  for (const a of attempts) {
    if (a.truth === null || a.sheriff === "skipped") continue;
    result.judged++;
    const sheriffPass = a.sheriff === "PASS";
    if (sheriffPass === a.truth) result.agreed++;
    else if (sheriffPass) result.falsePass++;
    else result.falseFail++;
  }
  return result;
}

/** `count` of `of`, with the rate. */
export function share(count: number, of: number): Share {
  return { count, of, rate: ratio(count, of) };
}

/** Of the tasks whose first attempt failed the ground truth (or wrote no program), those that pass in the end. */
export function repairOf(records: readonly BenchRecord[]): Share {
  const failedFirst = records.filter((r) =>
    r.attemptDetails.length > 0 && r.attemptDetails[0].truth !== true
  );
  return share(failedFirst.filter((r) => r.passed).length, failedFirst.length);
}

/** Per task: did the Sheriff ever say PASS on a program the ground truth fails, among tasks it judged. */
export function falsePassOf(records: readonly BenchRecord[]): FalsePassRates {
  const rate = (subset: readonly BenchRecord[]) => {
    const judged = subset.filter((r) => r.attemptDetails.some((a) => a.truth !== null && sheriffSpoke(a)));
    const fooled = judged.filter((r) =>
      r.attemptDetails.some((a) => a.sheriff === "PASS" && a.truth === false)
    );
    return share(fooled.length, judged.length);
  };
  return {
    withChecks: rate(records.filter((r) => r.hasChecks)),
    withoutChecks: rate(records.filter((r) => !r.hasChecks)),
  };
}

function sheriffSpoke(a: AttemptRecord): boolean {
  return a.sheriff === "PASS" || a.sheriff === "FAIL" || a.sheriff === "unparsable";
}

/** Cache use over `calls`. */
export function cacheUse(calls: readonly CallObservation[]): CacheUse {
  const cached = calls.reduce((s, c) => s + c.cachedTokens, 0);
  const prompt = calls.reduce((s, c) => s + c.promptTokens, 0);
  return { cached, prompt, ratio: ratio(cached, prompt) };
}

/** Summarises the records of one arm. */
export function summarizeArm(arm: string, records: readonly BenchRecord[]): ArmSummary {
  const attempts = records.flatMap((r) => r.attemptDetails);
  const calls = attempts.flatMap((a) => a.calls);
  const passed = records.filter((r) => r.passed).length;
  const decodeMs = calls.reduce((s, c) => s + c.decodeMs, 0);
  const timedTokens = calls.filter((c) => c.timed).reduce((s, c) => s + c.completionTokens, 0);
  return {
    arm,
    tasks: records.length,
    passed,
    passRate: ratio(passed, records.length),
    repair: ARMS.find((a) => a.name === arm)?.oneShot ? share(0, 0) : repairOf(records),
    falsePass: falsePassOf(records),
    imitation: share(
      attempts.filter((a) => a.draft === "code" && (a.imitation ?? null) !== null).length,
      attempts.filter((a) => a.draft === "code").length,
    ),
    errors: share(records.filter((r) => r.status === "error").length, records.length),
    medianAttempts: median(records.map((r) => r.attempts)),
    meanAttempts: mean(records.map((r) => r.attempts)),
    medianWallMs: median(records.map((r) => r.wallMs)),
    agreement: agreementOf(attempts),
    falseClaims: records.filter((r) => r.claimed && !r.passed).length,
    missedPasses: records.filter((r) => !r.claimed && r.passed).length,
    overheadMedianMs: median(attempts.map((a) => a.overheadMs)),
    overheadP90Ms: percentile(attempts.map((a) => a.overheadMs), 90),
    waitMedianMs: median(attempts.map((a) => a.waitMs)),
    retryCache: cacheUse(calls.filter((c) => c.attempt >= 2)),
    coderRetryCache: cacheUse(calls.filter((c) => c.attempt >= 2 && c.persona === "coder")),
    firstCache: cacheUse(calls.filter((c) => c.attempt === 1)),
    meanSplit: {
      prefillMs: mean(records.map((r) => r.prefillMs)),
      decodeMs: mean(records.map((r) => r.decodeMs)),
      waitMs: mean(records.map((r) => r.waitMs)),
      execMs: mean(records.map((r) => r.execMs)),
      overheadMs: mean(records.map((r) => r.overheadMs)),
    },
    decodeTokensPerSec: ratio(timedTokens, decodeMs / 1000),
  };
}

/** Summaries of every arm present in `records`, in the order of `arms`. */
export function summarize(arms: readonly (string)[], records: readonly BenchRecord[]): ArmSummary[] {
  return arms
    .map((arm) => summarizeArm(arm, records.filter((r) => r.arm === arm)))
    .filter((s) => s.tasks > 0);
}
