/**
 * What the benchmark runs: a task as the loop may see it, the checks it may be shown, and the hidden
 * ground truth its final program is judged by.
 *
 * @module
 */
import type { Checks, Task } from "../types.ts";

/** The benchmark suites. */
export type SuiteName = "examples" | "mbpp";

/** How a finished program is judged, out of sight of the loop. */
export type GroundTruth =
  /** MBPP: every assert (after the imports) runs against the program's functions; all must pass. */
  | { kind: "asserts"; imports: string[]; asserts: string[] }
  /** A task file's checks, run on the program in a fresh directory. */
  | { kind: "checks"; checks: Checks };

/** One benchmark task. */
export interface BenchTask {
  /** The suite the task comes from. */
  suite: SuiteName;
  /** Unique within its suite: the MBPP task id, or the example's name. */
  id: string;
  /** The task as the loop sees it, without checks; the arm decides whether checks are attached. */
  task: Task;
  /** The task asked plainly, for the `raw` arm: one user message, as a person would ask a chat model. */
  plainPrompt: string;
  /**
   * The description with one example written into it as a user would write it (MBPP: the first assert),
   * for the `loop+derived` arm; the description itself when the suite has none to add.
   */
  exampleDescription: string;
  /** The checks the `loop+checks` arm shows and runs. */
  visibleChecks: Checks;
  /** Never shown to the loop. */
  truth: GroundTruth;
}
