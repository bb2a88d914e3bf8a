/**
 * factory: a local software factory. A Coder model writes a program for a task, factory runs it in a
 * sandbox, a Sheriff model reviews what happened, and the loop repeats until the program passes or a
 * hard limit stops it.
 *
 * This entry holds the core: running a task, deciding its settings, the model client, the sinks and
 * the domain types. More lives in subpaths: `./server` (the model server's lifecycle), `./sandbox`
 * (running programs), `./notebook` (Jupyter views), `./bench` (the benchmark), `./testing` (fakes).
 *
 * ```ts
 * import { prepareRun, resolveSettings } from "./mod.ts";
 *
 * async function main() {
 *   const settings = await resolveSettings({ task: { kind: "text", text: "Print the first 10 primes" } });
 *   await using run = await prepareRun(settings, { noServer: false, say: (line) => console.error(line) });
 *   const result = await run.run();
 *   console.log(result.status, result.finalScript);
 * }
 * ```
 *
 * @module
 */

// The loop
export { runTask } from "./lib/orchestrator/run_task.ts";
export type { RunOptions } from "./lib/orchestrator/run_task.ts";
export { decide } from "./lib/orchestrator/decide.ts";
export type { DecideOptions } from "./lib/orchestrator/decide.ts";

// Settings, decided once, and a run prepared from them
export { loadTask, resolveSettings, settingsFrom } from "./lib/setup/settings.ts";
export type { RunSettings, SettingsRequest, TaskSource } from "./lib/setup/settings.ts";
export { decideSandbox, prepareRun } from "./lib/setup/prepare_run.ts";
export type { PreparedRun, PrepareOptions } from "./lib/setup/prepare_run.ts";
export { baseUrlOf, connectModel } from "./lib/setup/connect_model.ts";
export type { Connect, Connection, ConnectOptions } from "./lib/setup/connect_model.ts";
export { offlineDefaultModel } from "./lib/setup/default_model.ts";
export type { DefaultModel } from "./lib/setup/default_model.ts";
export { outputSink } from "./lib/setup/output_sinks.ts";
export type { Output, OutputSink, SinkIo } from "./lib/setup/output_sinks.ts";

// Config and tasks
export { checkPartialConfig, DEFAULT_CONFIG, parseConfigObject } from "./lib/config/schema.ts";
export type { AgentConfig, Config, PartialConfig, ServerConfig } from "./lib/config/schema.ts";
export type { KeyNamer } from "./lib/config/format_issue.ts";
export { readConfigFile } from "./lib/config/read.ts";
export type { ReadConfigOptions } from "./lib/config/read.ts";
export { limitsFor, resolveConfig, sandboxModeOf } from "./lib/config/resolve.ts";
export type { ConfigLayers } from "./lib/config/resolve.ts";
export { loadTaskFile, taskFromText } from "./lib/task/load.ts";
export type { LoadTaskOptions, TaskFromTextOptions } from "./lib/task/load.ts";
export { deriveExamples, examplesTestProgram, withDerivedChecks } from "./lib/task/derive_checks.ts";
export { parseTask } from "./lib/task/schema.ts";
export type { ParseTaskOptions } from "./lib/task/schema.ts";
export { slugify } from "./lib/task/slug.ts";

// The model client
export { openAIModel } from "./lib/llm/client.ts";
export type { OpenAIModelOptions, SlotMap } from "./lib/llm/client.ts";

// Where events go
export { terminalSink } from "./lib/render/terminal.ts";
export type { TerminalOptions, TerminalSink } from "./lib/render/terminal.ts";
export type { OutputOptions } from "./lib/render/program_output.ts";
export { jsonLinesSink } from "./lib/render/json_lines.ts";

// Running programs (more in ./sandbox)
export { defaultExecutor, sandboxExecutor } from "./lib/sandbox/sandbox_executor.ts";
export type { SandboxSettings } from "./lib/sandbox/sandbox_executor.ts";

// Making model and program text safe for a terminal or a prompt
export { printable } from "./lib/host/printable.ts";

// Errors and exit codes
export { ConfigError, EXIT, ModelError, ServerError } from "./lib/errors.ts";
export type { ModelErrorReason } from "./lib/errors.ts";

// Domain types
export {
  DEFAULT_SANDBOX_MODE,
  ENGINE_CHOICES,
  ENGINE_NAMES,
  SANDBOX_MODES,
  SPECULATIVE_CHOICES,
} from "./lib/types.ts";
export type {
  Attempt,
  Captured,
  ChatMessage,
  ChatModel,
  ChatRequest,
  CheckResult,
  Checks,
  DerivedChecks,
  Draft,
  Durations,
  EngineChoice,
  EngineName,
  EventSink,
  Example,
  ExecResult,
  Executor,
  FinishReason,
  Language,
  Limits,
  ModelReply,
  Persona,
  RunEvent,
  RunFacts,
  RunNote,
  RunProvenance,
  RunResult,
  RunStatus,
  SandboxMode,
  SandboxUsed,
  SheriffOpinion,
  SpeculativeChoice,
  SpeculativeMode,
  StopReason,
  Summary,
  Task,
  TokenTotals,
  Usage,
  Verdict,
} from "./lib/types.ts";
