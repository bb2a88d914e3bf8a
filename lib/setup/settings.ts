/**
 * The settings of one run, decided once: `factory.yaml`, the task (a file or text), flags and the
 * environment become a task, a complete config and the loop's `Limits`. Nothing below this layer
 * looks at a raw setting again; the loop reads only `limits`.
 *
 * @module
 */
import type { Language, Limits, SandboxMode, Task } from "../types.ts";
import { ConfigError } from "../errors.ts";
import { readConfigFile } from "../config/read.ts";
import { limitsFor, resolveConfig, sandboxModeOf } from "../config/resolve.ts";
import type { Config, PartialConfig } from "../config/schema.ts";
import { loadTaskFile, taskFromText } from "../task/load.ts";

/** Where the task comes from. */
export type TaskSource =
  /** A YAML task file. */
  | { kind: "file"; path: string }
  /** Free text: the description. */
  | { kind: "text"; text: string }
  /** A task already built in code. */
  | { kind: "task"; task: Task };

/** What a run is asked with, before anything is decided. */
export interface SettingsRequest {
  /** The task. */
  task: TaskSource;
  /** Overrides the task's language (`--lang`). */
  language?: Language;
  /** Turn examples in the task's description into a `test` check (`--no-derive` says false). @default {true} */
  derive?: boolean;
  /** The highest layer: command-line flags or a library caller's settings. */
  flags?: PartialConfig;
  /** `--config FILE`; otherwise `factory.yaml` in `cwd` when present. */
  configFile?: string;
  /** Read no config file at all (the benchmark, tests). @default {false} */
  noConfigFile?: boolean;
  /** Where `factory.yaml` is looked for. @default {Deno.cwd()} */
  cwd?: string;
}

/** The settings of one run, complete and validated. */
export interface RunSettings {
  /** The task to run. */
  task: Task;
  /** The whole resolved config (defaults < factory.yaml < task file < flags). */
  config: Config;
  /** The loop's hard limits, from `config`. */
  limits: Limits;
  /** How programs are isolated. */
  sandbox: SandboxMode;
  /** The config file read, when one was. */
  configPath?: string;
}

/** Loads the task. Throws a `ConfigError` for a bad file or text. */
export async function loadTask(
  source: TaskSource,
  language?: Language,
  derive?: boolean,
): Promise<Task> {
  const task = source.kind === "file"
    ? await loadTaskFile(source.path, { language, derive })
    : source.kind === "text"
    ? taskFromText(source.text, { language, derive })
    : source.task;
  return language ? { ...task, language } : task;
}

/**
 * Decides every setting of a run once. Throws a `ConfigError` naming the file or flag for anything
 * invalid; reads files but writes nothing.
 *
 * @example
 * ```ts
 * import { resolveSettings } from "../../mod.ts";
 *
 * async function main() {
 *   const settings = await resolveSettings({
 *     task: { kind: "file", path: "examples/fibonacci.yaml" },
 *     flags: { agent: { executionTimeoutSec: 5 } },
 *   });
 *   console.log(settings.limits.executionTimeoutMs); // 5000: flags beat the task file's `timeout`
 * }
 * ```
 */
export async function resolveSettings(request: SettingsRequest): Promise<RunSettings> {
  if (request.task.kind === "text" && request.task.text.trim() === "") {
    throw new ConfigError('No task given: pass a task text or --task FILE (see "run --help")');
  }
  const file = request.noConfigFile
    ? undefined
    : await readConfigFile(request.configFile, { cwd: request.cwd });
  const task = await loadTask(request.task, request.language, request.derive);
  return settingsFrom(task, { file: file?.config, flags: request.flags, configPath: file?.path });
}

/**
 * The settings of a task already in hand (pure): the same precedence as {@linkcode resolveSettings}.
 *
 * @example
 * ```ts
 * import { settingsFrom, taskFromText } from "../../mod.ts";
 *
 * const settings = settingsFrom(taskFromText("Print 1"), { file: { sandbox: "require" } });
 * console.assert(settings.sandbox === "require" && settings.limits.maxAttempts === 5);
 * ```
 */
export function settingsFrom(
  task: Task,
  layers: { file?: PartialConfig; flags?: PartialConfig; configPath?: string } = {},
): RunSettings {
  const config = resolveConfig({ file: layers.file, task, flags: layers.flags });
  return {
    task,
    config,
    limits: limitsFor(config),
    sandbox: sandboxModeOf(config),
    ...(layers.configPath ? { configPath: layers.configPath } : {}),
  };
}
