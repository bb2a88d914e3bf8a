/**
 * factory: a local software factory. A Coder model writes a program for a task, a sandbox runs it, a
 * Sheriff model reviews the program and what happened, and the loop repeats until the program really
 * works or a hard limit stops it. Everything runs against a local OpenAI-compatible model server.
 *
 * ```ts
 * import { limitsFor, openAIModel, resolveConfig, runTask, taskFromText } from "./mod.ts";
 *
 * const task = taskFromText("Print the first 10 Fibonacci numbers, one per line");
 * const config = resolveConfig({ task });
 * const model = openAIModel({ baseUrl: "http://127.0.0.1:8080/v1", model: "default" });
 * const result = await runTask(task, { model, limits: limitsFor(config) });
 * console.log(result.status, result.finalScript);
 * ```
 *
 * @module
 */

/** The loop. */
export { runTask } from "./lib/orchestrator/run_task.ts";
/** Options of {@linkcode runTask}. */
export type { RunOptions } from "./lib/orchestrator/run_task.ts";
/** How programs and checks are run; pass your own to `runTask` for tests. */
export type { Executor } from "./lib/orchestrator/executor.ts";
/** The verdict rule: facts (exit code, timeout, checks) overrule the Sheriff. */
export { decide } from "./lib/orchestrator/decide.ts";

/** Domain types: tasks, limits, attempts, results and events (closed unions). */
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
  EventSink,
  Example,
  ExecResult,
  FinishReason,
  Language,
  Limits,
  ModelReply,
  Persona,
  RunEvent,
  RunResult,
  RunStatus,
  SheriffOpinion,
  StopReason,
  Task,
  TokenTotals,
  Usage,
  Verdict,
} from "./lib/types.ts";

/** Domain errors and the CLI's exit codes. */
export { ConfigError, EXIT, ModelError, ServerError } from "./lib/errors.ts";
/** Why a model call failed. */
export type { ModelErrorReason } from "./lib/errors.ts";

/** Configuration: the defaults, reading `factory.yaml`, merging layers and deriving limits. */
export { checkPartialConfig, DEFAULT_CONFIG, parseConfigObject } from "./lib/config/schema.ts";
/** Configuration types. */
export type { AgentConfig, Config, Engine, PartialConfig, ServerConfig } from "./lib/config/schema.ts";
/** Reads `factory.yaml` (or the given file). */
export { readConfigFile } from "./lib/config/read.ts";
/** Merges config layers (defaults < file < task < flags) and derives the loop's limits. */
export { limitsFor, resolveConfig } from "./lib/config/resolve.ts";
/** Layers accepted by {@linkcode resolveConfig}. */
export type { ConfigLayers } from "./lib/config/resolve.ts";

/** Tasks: from a YAML file or free text, with safe slugs for names. */
export { loadTaskFile, taskFromText } from "./lib/task/load.ts";
/** Validates a task object (as parsed from YAML). */
export { parseTask } from "./lib/task/schema.ts";
/** Turns any text into a safe name that can never form a path. */
export { slugify } from "./lib/task/slug.ts";
/** Checks from a task's own examples: find them, write their test program, attach it to a task. */
export { deriveExamples, examplesTestProgram, withDerivedChecks } from "./lib/task/derive_checks.ts";

/** The model client for any OpenAI-compatible server, and a reachability probe. */
export { openAIModel } from "./lib/llm/client.ts";
/** Options of {@linkcode openAIModel}. */
export type { OpenAIModelOptions } from "./lib/llm/client.ts";
/** Lists a server's models; says what is wrong instead of throwing. */
export { probeServer } from "./lib/llm/probe.ts";
/** The result of {@linkcode probeServer}. */
export type { ProbeResult } from "./lib/llm/probe.ts";

/** The sandbox: run one program in a scoped work dir, and a task's deterministic checks. */
export { execute, executeFile } from "./lib/sandbox/execute.ts";
/** A program to run and how. */
export type { ExecOptions, Program } from "./lib/sandbox/execute.ts";
/** Runs a task's checks against a finished run. */
export { runChecks } from "./lib/sandbox/checks.ts";
/** The OS sandbox: modes, detection, and an executor with chosen settings. */
export { detectIsolation, resolveSandbox, SANDBOX_MODES } from "./lib/sandbox/sandbox_mode.ts";
/** A sandbox mode (`auto`, `require`, `off`), what was detected, and the resolved choice. */
export type { Isolation, SandboxChoice, SandboxMode } from "./lib/sandbox/sandbox_mode.ts";
/** An executor running programs in the sandbox with the given settings (`defaultExecutor` is `auto`). */
export { defaultExecutor, sandboxExecutor } from "./lib/orchestrator/executor.ts";
/** Settings of {@linkcode sandboxExecutor}. */
export type { SandboxSettings } from "./lib/orchestrator/executor.ts";
/** The sandbox mode a config asks for. */
export { sandboxModeOf } from "./lib/config/resolve.ts";

/** Event sinks: live terminal output and JSON lines. */
export { terminalSink } from "./lib/render/terminal.ts";
/** Options of {@linkcode terminalSink}. */
export type { TerminalOptions, TerminalSink } from "./lib/render/terminal.ts";
/** Writes each event as one line of JSON. */
export { jsonLinesSink } from "./lib/render/json_lines.ts";

/** The shape of a run's `summary.json`. */
export type { Summary } from "./lib/store/summary.ts";

/** The model server's lifecycle: start or reuse (`await using`), status, stop, logs. */
export { ensureServer, startServer } from "./lib/server/lifecycle.ts";
/** What to run, progress events, options, and the handle on a running server. */
export type {
  HealthCheck,
  LifecycleOptions,
  ServerHandle,
  ServerProgress,
  ServerSpec,
} from "./lib/server/lifecycle.ts";
/** Status of factory's server on a port. */
export { serverStatus } from "./lib/server/server_status.ts";
/** The result of {@linkcode serverStatus}. */
export type { ServerStatus } from "./lib/server/server_status.ts";
/** Stops factory's server on a port. */
export { stopServer } from "./lib/server/stop_server.ts";
/** The tail of factory's server log. */
export { serverLogs } from "./lib/server/server_logs.ts";
/** Finds or builds llama-server. */
export { ensureLlamaServer, llamaInfo } from "./lib/server/provision_llama.ts";
/** What this machine has for running models and programs. */
export { doctor } from "./lib/server/doctor.ts";
/** The generated tiny test model (random weights; fast nonsense). */
export { ensureTinyModel } from "./lib/server/tiny_model.ts";

/** Types the functions above take and return. */
export type { DoctorOptions, DoctorReport } from "./lib/server/doctor.ts";
/** Engines: names, the `auto` choice, readiness and slots. */
export type { EngineName, Readiness, SlotInfo } from "./lib/server/engines/engine.ts";
/** An engine choice, `auto` included. */
export type { EngineChoice } from "./lib/server/engines/select.ts";
/** Options and results of llama-server provisioning. */
export type { EnsureLlamaOptions, LlamaInfo } from "./lib/server/provision_llama.ts";
/** Provisioning progress events. */
export type { ProvisionProgress } from "./lib/server/llama_source.ts";
/** Options of {@linkcode ensureTinyModel}. */
export type { TinyModelOptions } from "./lib/server/tiny_model.ts";
/** Options of {@linkcode serverStatus}. */
export type { ServerQueryOptions } from "./lib/server/server_status.ts";
/** Options and outcome of {@linkcode stopServer}. */
export type { StopOptions, StopOutcome } from "./lib/server/stop_server.ts";
/** Options of {@linkcode serverLogs}. */
export type { ServerLogsOptions } from "./lib/server/server_logs.ts";
/** Spawns a server process (injectable for tests). */
export type { SpawnServer } from "./lib/server/process_group.ts";
/** Reads an environment variable (injectable for tests). */
export type { EnvReader } from "./lib/server/paths.ts";
/** The engines a config may name. */
export { ENGINES } from "./lib/config/schema.ts";
/** Options of {@linkcode readConfigFile}. */
export type { ReadConfigOptions } from "./lib/config/read.ts";
/** Options of {@linkcode taskFromText} and {@linkcode parseTask}. */
export type { LoadTaskOptions, TaskFromTextOptions } from "./lib/task/load.ts";
/** Options of {@linkcode parseTask}. */
export type { ParseTaskOptions } from "./lib/task/schema.ts";
/** Options of {@linkcode probeServer}. */
export type { ProbeOptions } from "./lib/llm/probe.ts";
/** Options of {@linkcode decide}. */
export type { DecideOptions } from "./lib/orchestrator/decide.ts";
/** What {@linkcode runChecks} needs to run a task's checks. */
export type { CheckContext } from "./lib/sandbox/checks.ts";
/** Options of {@linkcode resolveSandbox} and {@linkcode detectIsolation}. */
export type { DetectOptions, ResolveSandboxOptions } from "./lib/sandbox/sandbox_mode.ts";
/** One line of the {@linkcode doctor} report, and whether its piece is there. */
export type { DoctorItem, Presence } from "./lib/server/doctor.ts";
/** Finds a program on PATH (injectable for tests). */
export type { Which } from "./lib/server/_which.ts";
/** Runs a helper program to completion, or streaming to a log (injectable for tests); options and results. */
export type {
  CommandOptions,
  CommandResult,
  LoggedOptions,
  RunCommand,
  RunLogged,
} from "./lib/server/command.ts";
/** Options of building llama-server. */
export type { ProvisionOptions } from "./lib/server/provision_llama.ts";
/** Options shared by the provisioning functions. */
export type { SourceOptions } from "./lib/server/llama_source.ts";
/** Where a llama-server was found, or why none was, and what a finished build recorded. */
export type { LlamaBuildInfo, LlamaLocation } from "./lib/server/llama_cache.ts";
/** Paths of one llama.cpp build in the cache. */
export type { LlamaPaths } from "./lib/server/paths.ts";
/** A provisioning stage, in order. */
export type { ProvisionStage } from "./lib/server/llama_source.ts";
/** What {@linkcode SpawnServer} is asked to spawn, the process it returns, and how that process ended. */
export type { ExitStatus, ServerProcess, SpawnRequest } from "./lib/server/process_group.ts";

// ---------------------------------------------------------------------------------------------
// Notebooks and rich rendering (issue 5). Appended block: keep it at the end.

/** Live notebook display of a run (the only code touching `Deno.jupyter`), and showing values mid-cell. */
export { inJupyter, makeDisplayable, notebookSink, show } from "./lib/render/notebook.ts";
/** Options of {@linkcode notebookSink}, and the display function it calls. */
export type { DisplayCallOptions, DisplayFn, NotebookSinkOptions } from "./lib/render/notebook.ts";
/** A model server for a notebook, and the settings notebooks read from the environment. */
export { notebookServer, notebookSettings } from "./lib/render/notebook_server.ts";
/** Options and handle of {@linkcode notebookServer}; the settings. */
export type {
  NotebookServer,
  NotebookServerOptions,
  NotebookSettings,
} from "./lib/render/notebook_server.ts";
/** A run (live or loaded) displayable as a whole and turn by turn. */
export { RunView, viewRun } from "./lib/render/run_view.ts";
/** MIME bundles of runs, attempts and turns, and the displayable wrapper. */
export {
  attemptBundle,
  coderBundle,
  execBundle,
  JUPYTER_DISPLAY,
  Rich,
  runBundle,
  sheriffBundle,
} from "./lib/render/bundles.ts";
/** A MIME bundle, and what Jupyter can display. */
export type { Displayable, MimeBundle } from "./lib/render/bundles.ts";
/** The prompts of each turn, from a run's events. */
export { promptsFromEvents } from "./lib/render/prompt_book.ts";
/** Prompts by attempt and persona. */
export type { PromptBook, TurnPrompts } from "./lib/render/prompt_book.ts";
/** The one HTML escaping function, and HTML known to be safe. */
export { escapeHtml, SafeHtml } from "./lib/render/html.ts";
/** Highlights a Python or TypeScript program as escaped HTML. */
export { highlight } from "./lib/render/highlight.ts";
/** Past runs from their artifacts directories. */
export { latestRunDir, listRuns, loadRun, loadRuns } from "./lib/store/load_run.ts";
/** A table comparing runs. */
export { compareRuns, comparisonRow } from "./lib/store/compare_runs.ts";
/** What {@linkcode compareRuns} takes, and one row of it. */
export type { Comparable, ComparisonRow } from "./lib/store/compare_runs.ts";
/** Benchmark results (`results.jsonl`) as tables and charts. */
export { BenchView, loadBenchResults } from "./lib/render/bench_view.ts";
