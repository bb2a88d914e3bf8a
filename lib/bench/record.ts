/**
 * One line of `results.jsonl`: how one task went in one arm, judged against its hidden ground truth,
 * with the time split and the tokens of every attempt.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { Attempt, RunResult, RunStatus, StopReason, Task } from "../types.ts";
import { exampleCount } from "../task/derive_checks.ts";
import { imitation } from "./imitation.ts";
import type { ArmName } from "./arms.ts";
import type { SuiteName } from "./bench_task.ts";
import type { TruthResult } from "./ground_truth.ts";
import type { AttemptTime, CallObservation } from "./observer.ts";

/** What the Sheriff said on an attempt; `skipped` when it was not asked. */
export type SheriffSaid = "PASS" | "FAIL" | "unparsable" | "skipped";

/** Time split of an attempt or a task, in milliseconds. */
export interface TimeSplit {
  /** Wall-clock time of the attempt or task. */
  wallMs: number;
  /** Server-side prompt processing (0 when the server reports no timings). */
  prefillMs: number;
  /** Server-side generation (0 when the server reports no timings). */
  decodeMs: number;
  /** Model calls as the client saw them (request to last streamed byte). */
  modelMs: number;
  /**
   * Model time the server's timings do not cover: HTTP and streaming, and waiting for the server to
   * start on the request (behind another slot's work). modelMs − prefill − decode; 0 without timings.
   */
  waitMs: number;
  /** Running programs and checks, interpreter start-up included. */
  execMs: number;
  /** Orchestration overhead: wall − model calls (client time) − program and check runs. */
  overheadMs: number;
}

/** One attempt of a task in an arm. */
export interface AttemptRecord extends TimeSplit {
  /** The attempt's number, 1 for the first. */
  n: number;
  /** What the Coder's reply held: `code`, `truncated` or `no_code`. */
  draft: Attempt["draft"]["kind"];
  /** The hidden ground truth on this attempt's program; null when there was no program. */
  truth: boolean | null;
  /** Why the ground truth passed or failed this attempt's program, or `no program`. */
  truthDetail: string;
  /** What the Sheriff said on this attempt. */
  sheriff: SheriffSaid;
  /** The loop's decision on the attempt (facts and Sheriff). */
  loopPassed: boolean;
  /** sha256 of the program the Coder wrote (its first 16 hex digits), to compare runs' programs. */
  programSha256?: string;
  /** Why the program imitates the checks (see `imitation`); null when it does not or there was no program. */
  imitation: string | null;
  /** The model calls made during this attempt. */
  calls: CallObservation[];
}

/** One task in one arm. */
export interface BenchRecord extends TimeSplit {
  /** The suite the task belongs to. */
  suite: SuiteName;
  /** The task's id, unique within its suite. */
  taskId: string;
  /** The arm the task ran in. */
  arm: ArmName;
  /** The speed arm (speculative decoding) it ran under, in a `--speculative` run: `off`, `ngram`, … */
  speculative?: string;
  /** The model's name as the benchmark was told it (`modelName`). */
  model: string;
  /** The final program passes the hidden ground truth. */
  passed: boolean;
  /** The loop ended saying it passed. */
  claimed: boolean;
  /** The loop ran checks on this task (visible or derived ones). */
  hasChecks: boolean;
  /** How many examples factory derived from the task text (0 when none). */
  derivedExamples: number;
  /** How the run ended overall. */
  status: RunStatus;
  /** Why the loop stopped. */
  stopReason: StopReason;
  /** How many attempts the run made. */
  attempts: number;
  /** Token totals over the run: prompt, completion, and prompt tokens served from the server's cache. */
  tokens: { prompt: number; completion: number; cached: number };
  /** The ground truth's detail on the final program, or `no program was written`. */
  truthDetail: string;
  /** Every attempt of the run, in order. */
  attemptDetails: AttemptRecord[];
  /** The run's artifacts directory, when artifacts were kept. */
  runDir?: string;
  /**
   * Set when the record was not run on its own but read off another arm's run: `loop` for a `single`
   * record scored from the loop arm's first attempt (the same run stopped after one attempt). Its
   * `runDir` is then absent; the loop record's holds the attempt.
   */
  derivedFrom?: "loop";
}

/** What {@linkcode buildRecord} combines. */
export interface RecordParts {
  suite: SuiteName;
  taskId: string;
  arm: ArmName;
  /** The speed arm, in a `--speculative` run. */
  speculative?: string;
  model: string;
  /** The task as the arm ran it (its checks decide `hasChecks` and imitation). */
  task: Task;
  result: RunResult;
  calls: readonly CallObservation[];
  times: (n: number) => AttemptTime;
  /** The ground truth on each attempt that had a program, by attempt number. */
  truths: ReadonlyMap<number, TruthResult>;
  /** Wall time of the whole run, as the benchmark measured it. */
  wallMs: number;
}

/** Builds the record of one task in one arm. */
export function buildRecord(parts: RecordParts): BenchRecord {
  const { result, truths } = parts;
  const attemptDetails = result.attempts.map((attempt) => attemptRecord(attempt, parts));
  const last = result.attempts.findLast((a) => a.draft.kind === "code");
  const final = last ? truths.get(last.number) : undefined;
  const execMs = sum(attemptDetails.map((a) => a.execMs));
  return {
    suite: parts.suite,
    taskId: parts.taskId,
    arm: parts.arm,
    ...(parts.speculative === undefined ? {} : { speculative: parts.speculative }),
    model: parts.model,
    passed: final?.passed ?? false,
    claimed: result.status === "passed",
    hasChecks: Object.keys(parts.task.checks).length > 0,
    derivedExamples: parts.task.derived ? exampleCount(parts.task.derived.examples) : 0,
    status: result.status,
    stopReason: result.stopReason,
    attempts: result.attempts.length,
    ...split(parts.wallMs, parts.calls, execMs),
    tokens: {
      prompt: result.tokens.prompt,
      completion: result.tokens.completion,
      cached: result.tokens.cached,
    },
    truthDetail: final?.detail ?? "no program was written",
    attemptDetails,
    runDir: result.dir,
  };
}

function attemptRecord(attempt: Attempt, parts: RecordParts): AttemptRecord {
  const calls = parts.calls.filter((call) => call.attempt === attempt.number);
  const time = parts.times(attempt.number);
  const truth = parts.truths.get(attempt.number);
  return {
    n: attempt.number,
    draft: attempt.draft.kind,
    truth: truth?.passed ?? null,
    truthDetail: truth?.detail ?? "no program",
    sheriff: sheriffSaid(attempt),
    loopPassed: attempt.verdict.passed,
    ...(attempt.draft.kind === "code" ? { programSha256: programHash(attempt.draft.code) } : {}),
    imitation: attempt.draft.kind === "code" ? imitation(attempt.draft.code, parts.task) ?? null : null,
    ...split(time.wallMs, calls, time.execMs),
    calls,
  };
}

function programHash(code: string): string {
  return createHash("sha256").update(code).digest("hex").slice(0, 16);
}

/** The time split of a span holding `calls` and `execMs` of program runs. */
export function split(wallMs: number, calls: readonly CallObservation[], execMs: number): TimeSplit {
  const prefillMs = sum(calls.map((c) => c.prefillMs));
  const decodeMs = sum(calls.map((c) => c.decodeMs));
  const modelMs = sum(calls.map((c) => c.ms));
  const waitMs = sum(calls.map((c) => (c.timed ? Math.max(0, c.ms - c.prefillMs - c.decodeMs) : 0)));
  return {
    wallMs: round(wallMs),
    prefillMs: round(prefillMs),
    decodeMs: round(decodeMs),
    modelMs: round(modelMs),
    waitMs: round(waitMs),
    execMs: round(execMs),
    overheadMs: round(Math.max(0, wallMs - modelMs - execMs)),
  };
}

function sheriffSaid(attempt: Attempt): SheriffSaid {
  switch (attempt.sheriff.kind) {
    case "verdict":
      return attempt.sheriff.verdict;
    case "unparsable":
      return "unparsable";
    case "skipped":
      return "skipped";
    default: {
      const never: never = attempt.sheriff;
      return never;
    }
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
