/**
 * The benchmark: suites of tasks (MBPP, the examples), arms (ways of using the same model), every
 * attempt judged against hidden ground truth, and the reports. `deno task bench` runs it from the
 * command line; this entry is for scripts and notebooks.
 *
 * ```ts
 * import { loadBenchResults } from "./bench.ts";
 *
 * async function main() {
 *   const bench = await loadBenchResults("bench/results");
 *   console.log(bench.byArm());
 * }
 * ```
 *
 * @module
 */
export { armRun, ARMS, BENCH_SETTINGS, benchLimits, parseArms } from "./lib/bench/arms.ts";
export type { Arm, ArmName } from "./lib/bench/arms.ts";
export type { BenchTask, GroundTruth, SuiteName } from "./lib/bench/bench_task.ts";
export { loadSuite, parseSuite, SUITES } from "./lib/bench/suites.ts";
export type { SuiteSelection } from "./lib/bench/suites.ts";
export { runBench } from "./lib/bench/run_bench.ts";
export type { BenchOptions, BenchOutcome } from "./lib/bench/run_bench.ts";
export { judgeProgram } from "./lib/bench/ground_truth.ts";
export type { Judge, TruthResult } from "./lib/bench/ground_truth.ts";
export type { BenchRecord } from "./lib/bench/record.ts";
export { summarize } from "./lib/bench/summary.ts";
export type { ArmSummary } from "./lib/bench/summary.ts";
export { BenchView, loadBenchResults } from "./lib/bench/bench_view.ts";
export { parseSpeedArms } from "./lib/bench/speed_arms.ts";
export type { SpeedArm } from "./lib/bench/speed_arms.ts";
export type { SpeculationTuning } from "./lib/setup/speculation.ts";
export type { CacheUse } from "./lib/bench/summary.ts";
export { runSpeedBench } from "./lib/bench/speed_run.ts";
export type { SpeedBenchOptions, SpeedBenchOutcome } from "./lib/bench/speed_run.ts";
export { speedRatios, summarizeSpeed } from "./lib/bench/speed_summary.ts";
export type { DecodeRate, SpeedRatio, SpeedSummary } from "./lib/bench/speed_summary.ts";
export type { Agreement, FalsePassRates, Share } from "./lib/bench/summary.ts";
export type { AttemptRecord, SheriffSaid, TimeSplit } from "./lib/bench/record.ts";
export type { JudgedProgram, JudgeOptions } from "./lib/bench/ground_truth.ts";
export type { CallObservation } from "./lib/bench/observer.ts";
