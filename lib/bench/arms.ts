/**
 * The benchmark's arms: the same model and settings, three ways of using it.
 *
 * @module
 */
import type { Limits, Task } from "../types.ts";
import { ConfigError } from "../errors.ts";
import type { BenchTask } from "./bench_task.ts";
import type { PartialConfig } from "../config/schema.ts";
import { limitsFor, resolveConfig } from "../config/resolve.ts";
import { settingsFrom } from "../setup/settings.ts";

/** The arms' names. */
export type ArmName = "single" | "loop" | "loop+checks";

/** One way of running a task. */
export interface Arm {
  name: ArmName;
  /** Ask the Sheriff (false: a clean exit and the checks alone decide). */
  sheriff: boolean;
  /** Attach the task's visible checks. */
  checks: boolean;
  /** At most one attempt (the single-shot arm), whatever the limits say. */
  oneShot: boolean;
}

/** Every arm, in report order. */
export const ARMS: readonly Arm[] = [
  { name: "single", sheriff: false, checks: false, oneShot: true },
  { name: "loop", sheriff: true, checks: false, oneShot: false },
  { name: "loop+checks", sheriff: true, checks: true, oneShot: false },
];

/** Reads a comma-separated list of arm names (`single,loop`). Throws a `ConfigError` for an unknown one. */
export function parseArms(text: string): Arm[] {
  const names = text.split(",").map((name) => name.trim()).filter((name) => name !== "");
  if (names.length === 0) throw new ConfigError("--arms: expected one or more of single, loop, loop+checks");
  return [...new Set(names)].map((name) => {
    const arm = ARMS.find((a) => a.name === name);
    if (!arm) throw new ConfigError(`--arms: unknown arm: ${name} (expected single, loop or loop+checks)`);
    return arm;
  });
}

/**
 * The benchmark's own settings, a layer above the defaults like a `factory.yaml`: 3 attempts, 768 tokens a
 * turn, 10 s a program run, 180 s a model call (the 2-core machine may be shared), temperature 0. A
 * task's own settings and the benchmark's flags go above it, decided by the setup layer.
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
  const task = { ...bench.task, checks: arm.checks ? bench.visibleChecks : {} };
  const { limits } = settingsFrom(task, { file: BENCH_SETTINGS, flags });
  return { task, limits: arm.oneShot ? { ...limits, maxAttempts: 1 } : limits };
}
