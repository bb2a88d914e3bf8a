/**
 * Merging the configuration layers (pure): defaults < `factory.yaml` < the task file < CLI flags.
 *
 * @module
 */

import type { Limits, Task } from "../types.ts";
import type { SandboxMode } from "../types.ts";
import {
  checkPartialConfig,
  type Config,
  DEFAULT_CONFIG,
  DEFAULT_SANDBOX_MODE,
  type PartialConfig,
} from "./schema.ts";

/** The layers to merge, lowest first after the defaults. Each is optional. */
export interface ConfigLayers {
  /** From `factory.yaml` (see `readConfigFile`). */
  file?: PartialConfig;
  /** A task's `max_attempts` and `timeout` override the file. */
  task?: Task;
  /** From command-line flags or a library caller; overrides everything. */
  flags?: PartialConfig;
}

/** The part of the config a task file may set. */
function taskLayer(task: Task): PartialConfig {
  return { agent: { maxAttempts: task.maxAttempts, executionTimeoutSec: task.timeoutSec } };
}

/** Copies `base`, replacing each key `layer` sets to a defined value. */
function overlay<T extends object>(base: T, layer: Partial<T> | undefined): T {
  const out = { ...base };
  for (const [key, value] of Object.entries(layer ?? {})) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

function merge(base: Config, layer: PartialConfig): Config {
  const merged: Config = {
    server: overlay(base.server, layer.server),
    agent: overlay(base.agent, layer.agent),
  };
  const sandbox = layer.sandbox ?? base.sandbox;
  return sandbox === undefined ? merged : { ...merged, sandbox };
}

/**
 * Resolves the configuration: defaults < file < task (`max_attempts`, `timeout`) < flags. Keys left
 * undefined in a layer do not override. Every layer is validated with the file's rules, so a bad
 * flag value throws a `ConfigError` naming the key: `Invalid flags: agent.max_attempts: expected an
 * integer >= 1, got -3`.
 *
 * @example
 * ```ts
 * import { resolveConfig, taskFromText } from "../../mod.ts";
 *
 * const task = { ...taskFromText("Print 1"), timeoutSec: 20 };
 * const config = resolveConfig({ task, flags: { agent: { executionTimeoutSec: 5 } } });
 * console.assert(config.agent.executionTimeoutSec === 5); // what you type last wins
 * ```
 */
export function resolveConfig(layers: ConfigLayers): Config {
  const ordered: PartialConfig[] = [];
  if (layers.file) ordered.push(checkPartialConfig(layers.file, "Invalid config"));
  if (layers.task) {
    ordered.push(checkPartialConfig(taskLayer(layers.task), `Invalid task ${layers.task.name}`));
  }
  if (layers.flags) ordered.push(checkPartialConfig(layers.flags, "Invalid flags"));
  const defaults: Config = { server: { ...DEFAULT_CONFIG.server }, agent: { ...DEFAULT_CONFIG.agent } };
  return ordered.reduce(merge, defaults);
}

/** The sandbox mode a resolved config asks for: its `sandbox` key, `auto` when it has none. */
export function sandboxModeOf(config: Pick<Config, "sandbox">): SandboxMode {
  return config.sandbox ?? DEFAULT_SANDBOX_MODE;
}

/** Converts seconds to whole milliseconds, never below 1. */
function toMs(seconds: number): number {
  return Math.max(1, Math.round(seconds * 1000));
}

/**
 * The loop's hard limits from a resolved config, with times in milliseconds.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG, limitsFor } from "../../mod.ts";
 *
 * const limits = limitsFor({ server: { ...DEFAULT_CONFIG.server }, agent: { ...DEFAULT_CONFIG.agent } });
 * console.assert(limits.executionTimeoutMs === DEFAULT_CONFIG.agent.executionTimeoutSec * 1000);
 * ```
 */
export function limitsFor(config: Config): Limits {
  const { agent } = config;
  return {
    maxAttempts: agent.maxAttempts,
    executionTimeoutMs: toMs(agent.executionTimeoutSec),
    llmTimeoutMs: toMs(agent.llmTimeoutSec),
    maxTokensPerTurn: agent.maxTokensPerTurn,
    totalTokenBudget: agent.totalTokenBudget,
    temperature: agent.temperature,
    retryTemperature: agent.retryTemperature,
    stagnationThreshold: agent.stagnationThreshold,
  };
}
