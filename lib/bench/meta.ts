/**
 * What a benchmark report says about how it was made.
 *
 * @module
 */
import type { Limits } from "../types.ts";
import type { SuiteName } from "./bench_task.ts";
import type { SpeedReport } from "./speed_probe.ts";

/** The settings and context of a benchmark run, printed above its tables. */
export interface BenchMeta {
  suite: SuiteName;
  /** Which tasks, in words: `quick subset (12 tasks)`. */
  selection: string;
  /** The model file or id. */
  model: string;
  /** The server and how it runs, in words. */
  server: string;
  limits: Limits;
  concurrency: number;
  /** The command that reproduces the run. */
  command: string;
  /** ISO date and time the run started. */
  date: string;
  /** The machine, in words (cores, load). */
  machine: string;
  speed?: SpeedReport;
  /** Why the speed probe has no result, when it failed. */
  speedError?: string;
  /** How long the whole benchmark took. */
  totalMs?: number;
  /** A `--speculative` run's speed arms, in the order they ran, with the speculation each server ran. */
  speedArms?: { label: string; speculation: string }[];
}
