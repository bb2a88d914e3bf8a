/**
 * Everything a run needs besides its settings, made once: the sandbox decision, the model client (and
 * the server started for it), the executor and the event sinks. The CLI, the notebooks and the
 * benchmark all prepare their runs here.
 *
 * @module
 */
import type { EventSink, Executor, RunResult } from "../types.ts";
import { ConfigError } from "../errors.ts";
import { resolveSandbox, type ResolveSandboxOptions, type SandboxChoice } from "../sandbox/sandbox_mode.ts";
import { sandboxExecutor } from "../sandbox/sandbox_executor.ts";
import { type RunOptions, runTask } from "../orchestrator/run_task.ts";
import { type Connect, type Connection, connectModel, type ConnectOptions } from "./connect_model.ts";
import type { RunSettings } from "./settings.ts";
import { provenanceOf } from "./provenance.ts";

/** Options of {@linkcode prepareRun}. */
export interface PrepareOptions extends ConnectOptions {
  /** Where the run's events go (see `outputSinks`). @default none */
  emit?: EventSink | EventSink[];
  /** Artifacts go to `<outDir>/<runId>/`. @default {"runs"} */
  outDir?: string;
  /** Receives the warning when `sandbox: auto` finds no OS sandbox. */
  warn?: (line: string) => void;
  /** Runs programs. @default the sandbox executor in the settings' sandbox mode */
  executor?: Executor;
  /** Passed to the sandbox decision (tests inject the detection). */
  sandboxOptions?: ResolveSandboxOptions;
  /** Connects to the model. @default {connectModel} */
  connect?: Connect;
}

/** A run ready to go; disposing it stops the server it started. */
export interface PreparedRun extends AsyncDisposable {
  /** The settings it runs with. */
  readonly settings: RunSettings;
  /** The sandbox decision. */
  readonly sandbox: SandboxChoice;
  /** The model connection (client, URL, model name, diagnosis). */
  readonly connection: Connection;
  /** The options handed to `runTask`. */
  readonly options: RunOptions;
  /** Runs the task; never throws for an expected outcome. */
  run(): Promise<RunResult>;
}

/** The sandbox decision of `settings`: throws a `ConfigError` when `sandbox: require` finds none. */
export async function decideSandbox(
  settings: RunSettings,
  options: { warn?: (line: string) => void; sandboxOptions?: ResolveSandboxOptions } = {},
): Promise<SandboxChoice> {
  const sandbox = await resolveSandbox(settings.sandbox, options.sandboxOptions);
  if (sandbox.kind === "refused") throw new ConfigError(sandbox.reason);
  if (sandbox.kind === "unsandboxed" && sandbox.warning) options.warn?.(`warning: ${sandbox.warning}\n`);
  return sandbox;
}

/**
 * Prepares a run: sandbox first (nothing starts when it is refused), then the model server.
 *
 * @example
 * ```ts
 * import { prepareRun, resolveSettings } from "../../mod.ts";
 *
 * async function main() {
 *   const settings = await resolveSettings({ task: { kind: "text", text: "Print 1" } });
 *   await using run = await prepareRun(settings, { noServer: true, say: console.error });
 *   const result = await run.run();
 *   console.log(result.status);
 * }
 * ```
 */
export async function prepareRun(settings: RunSettings, options: PrepareOptions): Promise<PreparedRun> {
  const sandbox = await decideSandbox(settings, options);
  const connection = await (options.connect ?? connectModel)(settings.config, options);
  const runOptions: RunOptions = {
    model: connection.model,
    limits: settings.limits,
    outDir: options.outDir ?? "runs",
    emit: options.emit,
    signal: options.signal,
    executor: options.executor ?? sandboxExecutor({ sandbox: settings.sandbox }),
    provenance: provenanceOf(connection, sandbox),
  };
  return {
    settings,
    sandbox,
    connection,
    options: runOptions,
    run: () => runTask(settings.task, runOptions),
    [Symbol.asyncDispose]: () => connection[Symbol.asyncDispose](),
  };
}
