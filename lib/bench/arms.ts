/**
 * The benchmark's arms: the same model and settings, several ways of using it.
 *
 * @module
 */
import type { Limits, Task } from "../types.ts";
import { ConfigError } from "../errors.ts";
import { withDerivedChecks } from "../task/derive_checks.ts";
import type { BenchTask } from "./bench_task.ts";
import type { PartialConfig } from "../config/schema.ts";
import { limitsFor, resolveConfig } from "../config/resolve.ts";
import { settingsFrom } from "../setup/settings.ts";

/** The arms' names. */
export type ArmName = "raw" | "single" | "loop" | "loop+derived" | "loop+checks";

/** One way of running a task. */
export interface Arm {
  /** The arm's name, as `--arms` takes it and the reports show it. */
  name: ArmName;
  /**
   * The model asked plainly: one user message (the task's plain prompt), no system prompt, no factory
   * framing, the reply's first code block taken as it is, nothing run. The other fields do not apply.
   */
  raw: boolean;
  /** Ask the Sheriff (false: a clean exit and the checks alone decide). */
  sheriff: boolean;
  /**
   * Which checks the loop gets: none; the task's visible checks (MBPP: the first assert as a test
   * program); or the ones factory derives from the task text when one example is written into it.
   */
  checks: "none" | "visible" | "derived";
  /** At most one attempt (the single-shot arm), whatever the limits say. */
  oneShot: boolean;
}

/** Every arm, in report order. */
export const ARMS: readonly Arm[] = [
  { name: "raw", raw: true, sheriff: false, checks: "none", oneShot: true },
  { name: "single", raw: false, sheriff: false, checks: "none", oneShot: true },
  { name: "loop", raw: false, sheriff: true, checks: "none", oneShot: false },
  { name: "loop+derived", raw: false, sheriff: true, checks: "derived", oneShot: false },
  { name: "loop+checks", raw: false, sheriff: true, checks: "visible", oneShot: false },
];

/** The arms a benchmark runs when `--arms` is not given. */
export const DEFAULT_ARMS: readonly Arm[] = ARMS.filter((arm) => arm.name !== "loop+checks");

const NAMES = ARMS.map((arm) => arm.name).join(", ");

/** Reads a comma-separated list of arm names (`single,loop`). Throws a `ConfigError` for an unknown one. */
export function parseArms(text: string): Arm[] {
  const names = text.split(",").map((name) => name.trim()).filter((name) => name !== "");
  if (names.length === 0) throw new ConfigError(`--arms: expected one or more of ${NAMES}`);
  return [...new Set(names)].map((name) => {
    const arm = ARMS.find((a) => a.name === name);
    if (!arm) throw new ConfigError(`--arms: unknown arm: ${name} (expected ${NAMES})`);
    return arm;
  });
}

/**
 * The benchmark's own settings, a layer above the defaults like a `factory.yaml`: 3 attempts, 768 tokens a
 * turn, 10 s a program run, a 180 s stall limit per model call (the 2-core machine may be shared),
 * temperature 0. A task's own settings and the benchmark's flags go above it, decided by the setup layer.
 */
export const BENCH_SETTINGS: PartialConfig = {
  agent: {
    maxAttempts: 3,
    executionTimeoutSec: 10,
    llmTimeoutSec: 180,
    maxTokensPerTurn: 768,
    temperature: 0,
  },
};

/** The benchmark's limits before any task's own settings: {@linkcode BENCH_SETTINGS} under `flags`. */
export function benchLimits(flags: PartialConfig = {}): Limits {
  return limitsFor(resolveConfig({ file: BENCH_SETTINGS, flags }));
}

/** The task and limits `arm` runs `bench` with: the setup layer's precedence, then the arm's cap. */
export function armRun(
  bench: BenchTask,
  arm: Arm,
  flags: PartialConfig = {},
): { task: Task; limits: Limits } {
  const task = armTask(bench, arm);
  const { limits } = settingsFrom(task, { file: BENCH_SETTINGS, flags });
  return { task, limits: arm.oneShot ? { ...limits, maxAttempts: 1 } : limits };
}

function armTask(bench: BenchTask, arm: Arm): Task {
  switch (arm.checks) {
    case "none":
      return { ...bench.task, checks: {} };
    case "visible":
      return { ...bench.task, checks: bench.visibleChecks };
    case "derived":
      return withDerivedChecks({ ...bench.task, description: bench.exampleDescription, checks: {} });
    default: {
      const never: never = arm.checks;
      return never;
    }
  }
}
