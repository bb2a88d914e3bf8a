/**
 * The loop: Coder → run → checks → Sheriff → verdict, until a PASS or a hard limit. Driven by code,
 * never by a model. Expected outcomes (failed runs, timeouts, model failures, interrupts) end up in the
 * returned `RunResult`; `runTask` throws only when the artifacts directory cannot be written.
 *
 * @module
 */
import type {
  Attempt,
  ChatModel,
  EventSink,
  Limits,
  RunProvenance,
  RunResult,
  RunStatus,
  Task,
} from "../types.ts";
import { newRunId, RunStore } from "../store/run_dir.ts";
import { RunLedger } from "./run_ledger.ts";
import { firstStop, type Stop } from "./stop_conditions.ts";
import { type Executor } from "../types.ts";
import { runAttempt } from "./run_attempt.ts";
import { defaultExecutor } from "../sandbox/sandbox_executor.ts";

/** Options of `runTask`. Only `model` and `limits` are required. */
export interface RunOptions {
  /** The model both personas talk to. */
  model: ChatModel;
  /** The run's limits (attempts, timeouts, token budget, stagnation) and sampling settings. */
  limits: Limits;
  /** Artifacts go to `<outDir>/<runId>/`. @default {"runs"} */
  outDir?: string;
  /** Receives every event, in order. */
  emit?: EventSink | EventSink[];
  /** Aborting stops the run: children are killed, artifacts kept, status "interrupted". */
  signal?: AbortSignal;
  /** Runs programs and checks. @default the sandbox executor */
  executor?: Executor;
  /** The clock, in epoch milliseconds. @default {Date.now} */
  now?: () => number;
  /** The run's id, also its artifacts directory name. @default a new id from the time and the task's name */
  runId?: string;
  /** Ask the Sheriff; with false, clean facts (exit 0, checks) alone pass (the single-shot arm). @default {true} */
  sheriff?: boolean;
  /**
   * What runs the task (model, engine, server URL, factory's version, sandbox), as plain data from the
   * caller; recorded in `run.json`, `summary.json` and the result. @default none recorded
   */
  provenance?: RunProvenance;
}

/**
 * Runs a task until it passes or a stop condition holds. Never throws for an expected outcome.
 *
 * @example Run a task against a model you already have
 * ```ts
 * import { limitsFor, openAIModel, resolveConfig, runTask, taskFromText } from "../../mod.ts";
 *
 * async function main() {
 *   const task = taskFromText("Print the first 10 primes");
 *   const model = openAIModel({ baseUrl: "http://127.0.0.1:8080/v1", model: "default" });
 *   const result = await runTask(task, { model, limits: limitsFor(resolveConfig({ task })) });
 *   console.log(result.status, result.attempts.length);
 * }
 * ```
 */
export async function runTask(task: Task, options: RunOptions): Promise<RunResult> {
  const { model, limits, signal } = options;
  const runId = options.runId ?? newRunId(task);
  const now = options.now ?? Date.now;
  const startedAt = new Date(now()).toISOString();
  const { provenance } = options;
  await using store = await RunStore.create(options.outDir ?? "runs", runId, task, {
    startedAt,
    limits,
    provenance,
  });
  const sinks = [(e: Parameters<EventSink>[0]) => store.record(e), ...[options.emit ?? []].flat()];
  const ctx = new RunLedger(sinks, now);
  const deps = {
    model,
    limits,
    signal,
    store,
    ctx,
    executor: options.executor ?? defaultExecutor,
    useSheriff: options.sheriff ?? true,
  };
  await ctx.emit({ kind: "run_start", runId, task, limits, dir: store.dir, startedAt, provenance });
  const attempts: Attempt[] = [];
  let stop: Stop | undefined;
  while (!(stop = firstStop(limits, attempts, ctx.tokens, signal))) {
    const outcome = await runAttempt(task, attempts.length + 1, attempts, deps);
    if (outcome.attempt) attempts.push(outcome.attempt);
    if (outcome.stop) {
      stop = outcome.stop;
      break;
    }
  }
  const result: RunResult = {
    ...resultOf(task, runId, store, ctx, attempts, stop),
    startedAt,
    endedAt: new Date(ctx.now()).toISOString(),
    limits,
    ...(provenance ? { provenance } : {}),
  };
  await ctx.emit({ kind: "stop", result });
  await store.finish(result);
  return result;
}

const STATUS: Record<Stop["reason"], RunStatus> = {
  passed: "passed",
  max_attempts: "failed",
  stagnation: "failed",
  token_budget: "failed",
  interrupted: "interrupted",
  model_error: "error",
};

function resultOf(
  task: Task,
  runId: string,
  store: RunStore,
  ctx: RunLedger,
  attempts: Attempt[],
  stop: Stop,
): RunResult {
  const last = attempts.findLast((a) => a.draft.kind === "code");
  return {
    runId,
    task,
    status: STATUS[stop.reason],
    stopReason: stop.reason,
    stopDetail: stop.detail,
    attempts,
    tokens: { ...ctx.tokens },
    durations: ctx.durations(),
    finalScript: last ? store.scriptPath(last.number, task.language) : undefined,
    dir: store.dir,
  };
}
