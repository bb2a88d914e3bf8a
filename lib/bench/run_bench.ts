/**
 * The benchmark runner: every task in every arm through the real loop, `concurrency` runs at a time
 * (the model server's parallel slots), each attempt's program judged against the hidden ground truth
 * after the run.
 *
 * @module
 */
import { join } from "node:path";
import type { ChatMessage, ChatModel, RunProvenance } from "../types.ts";
import type { PartialConfig } from "../config/schema.ts";
import type { Executor } from "../types.ts";
import { defaultExecutor } from "../sandbox/sandbox_executor.ts";
import { runTask } from "../orchestrator/run_task.ts";
import { type Arm, armRun } from "./arms.ts";
import type { BenchTask } from "./bench_task.ts";
import { type Judge, judgeProgram, type TruthResult } from "./ground_truth.ts";
import { RunObserver } from "./observer.ts";
import { type BenchRecord, buildRecord } from "./record.ts";
import { runRaw } from "./raw_arm.ts";
import { singleFromLoop } from "./single_from_loop.ts";

/** Options of {@linkcode runBench}. */
export interface BenchOptions {
  /** The tasks to run; each runs in every arm. */
  tasks: readonly BenchTask[];
  /**
   * The arms to run every task in. With both `single` and `loop`, `single` is not run: each task's
   * `single` record is scored from its `loop` run's first attempt ({@linkcode singleFromLoop}).
   */
  arms: readonly Arm[];
  /** The model every run uses, unless `modelFor` gives a worker its own. */
  model: ChatModel;
  /**
   * The model worker `n` (from 0) uses, so concurrent runs each keep their own pair of server slots.
   * @default {() => model}
   */
  modelFor?: (worker: number) => ChatModel;
  /** Written into every record. */
  modelName: string;
  /** The speed arm (speculative decoding) these runs use, written into every record. */
  speculative?: string;
  /** What runs the tasks, recorded in every run's directory. @default none recorded */
  provenance?: RunProvenance;
  /** The benchmark's flags, above each task's own settings (the single-shot arm caps attempts at 1). */
  flags?: PartialConfig;
  /** Run artifacts go to `<runsDir>/<arm>/<run-id>/`. */
  runsDir: string;
  /** Runs at the same time. @default {1} */
  concurrency?: number;
  /** Aborting stops the runs in flight; finished records are kept. */
  signal?: AbortSignal;
  /** Runs the loop's programs and checks. @default the sandbox executor */
  executor?: Executor;
  /** Judges each attempt's program against the hidden ground truth. @default {judgeProgram} */
  judge?: Judge;
  /**
   * Receives each record as soon as its run is judged (in completion order); a `single` record scored
   * from the loop arm comes right after its `loop` record.
   */
  onRecord?: (record: BenchRecord) => void | Promise<void>;
  /** The clock, in milliseconds, that times the runs. @default {performance.now} */
  now?: () => number;
}

/** What a benchmark run produced. */
export interface BenchOutcome {
  /** In task order, then arm order. */
  records: BenchRecord[];
  /** The first Coder prompt of each task, in task order (for the speed probe). */
  coderPrompts: ChatMessage[][];
  /** True when the signal stopped the benchmark before every run finished. */
  interrupted: boolean;
}

interface Job {
  index: number;
  bench: BenchTask;
  arm: Arm;
}

type Done = { index: number; record: BenchRecord; prompt?: ChatMessage[] };

/** Runs every task in every arm. Never throws for what a run does; interrupted runs are not recorded. */
export async function runBench(options: BenchOptions): Promise<BenchOutcome> {
  const concurrency = options.concurrency ?? 1;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new RangeError(`concurrency must be a whole number >= 1, got ${concurrency}`);
  }
  const width = options.arms.length;
  const singleAt = singleFromLoopAt(options.arms);
  const jobs: Job[] = options.tasks.flatMap((bench, t) =>
    options.arms.map((arm, a) => ({ index: t * width + a, bench, arm }))
  ).filter((job) => singleAt === undefined || job.arm.name !== "single");
  const done: Done[] = [];
  const queue = [...jobs];
  const worker = async (_: unknown, n: number) => {
    const model = options.modelFor?.(n) ?? options.model;
    for (let job = queue.shift(); job && !options.signal?.aborted; job = queue.shift()) {
      const outcome = await runJob(job, { ...options, model });
      if (!outcome) continue;
      const records: Done[] = [{ index: job.index, ...outcome }];
      if (singleAt !== undefined && job.arm.name === "loop") {
        const index = job.index - (job.index % width) + singleAt;
        records.push({ index, record: singleFromLoop(outcome.record) });
      }
      for (const d of records) {
        done.push(d);
        await options.onRecord?.(d.record);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  done.sort((a, b) => a.index - b.index);
  const prompts = new Map<string, ChatMessage[]>();
  for (const d of done) if (d.prompt && !prompts.has(d.record.taskId)) prompts.set(d.record.taskId, d.prompt);
  return {
    records: done.map((d) => d.record),
    coderPrompts: [...prompts.values()],
    interrupted: done.length < options.tasks.length * width,
  };
}

/** Where `single` stands among `arms` when it is scored from the loop arm (both present); else undefined. */
function singleFromLoopAt(arms: readonly Arm[]): number | undefined {
  const at = arms.findIndex((arm) => arm.name === "single");
  return at >= 0 && arms.some((arm) => arm.name === "loop") ? at : undefined;
}

/** Runs one task in one arm and judges every attempt; undefined when the run was interrupted. */
async function runJob(
  job: Job,
  options: BenchOptions,
): Promise<{ record: BenchRecord; prompt?: ChatMessage[] } | undefined> {
  const now = options.now ?? (() => performance.now());
  const judge = options.judge ?? ((truth, program, o) => judgeProgram(truth, program, o));
  if (job.arm.raw) {
    // The speed probe replays factory's own Coder prompts, never the raw arm's.
    const { limits } = armRun(job.bench, job.arm, options.flags);
    const raw = await runRaw(job.bench, { ...options, judge, now, limits });
    return raw && { record: raw.record };
  }
  const observer = new RunObserver(options.executor ?? defaultExecutor, options.model, now);
  const { task, limits } = armRun(job.bench, job.arm, options.flags);
  const started = now();
  const result = await runTask(task, {
    model: observer.model,
    limits,
    outDir: join(options.runsDir, job.arm.name.replace("+", "-")),
    emit: observer.sink,
    signal: options.signal,
    executor: observer.executor,
    sheriff: job.arm.sheriff,
    provenance: options.provenance,
  });
  const wallMs = now() - started;
  if (result.status === "interrupted") return undefined;
  const truths = new Map<number, TruthResult>();
  for (const attempt of result.attempts) {
    if (attempt.draft.kind !== "code") continue;
    const program = { code: attempt.draft.code, language: task.language };
    truths.set(
      attempt.number,
      await judge(job.bench.truth, program, { timeoutMs: limits.executionTimeoutMs, signal: options.signal }),
    );
  }
  const record = buildRecord({
    suite: job.bench.suite,
    taskId: job.bench.id,
    arm: job.arm.name,
    speculative: options.speculative,
    model: options.modelName,
    task,
    result,
    calls: observer.calls,
    times: (n) => observer.attemptTime(n),
    truths,
    wallMs,
  });
  const prompt = observer.messages.find((m) => m.persona === "coder" && m.attempt === 1)?.messages;
  return { record, prompt };
}
