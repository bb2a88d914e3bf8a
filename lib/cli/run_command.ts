/**
 * `factory run`: parse flags, resolve config and task, connect to the model server, run the loop with
 * the chosen sink, and map the result to an exit code.
 *
 * @module
 */
import type { Language, RunResult, Task } from "../types.ts";
import { ConfigError, EXIT } from "../errors.ts";
import { numberFlag, parseFlags } from "./parse.ts";
import { RUN_HELP } from "./help.ts";
import { readConfigFile } from "../config/read.ts";
import { limitsFor, resolveConfig, sandboxModeOf } from "../config/resolve.ts";
import { checkPartialConfig, type Config, type Engine } from "../config/schema.ts";
import { loadTaskFile, taskFromText } from "../task/load.ts";
import { runTask } from "../orchestrator/run_task.ts";
import { sandboxExecutor } from "../orchestrator/executor.ts";
import { resolveSandbox } from "../sandbox/sandbox_mode.ts";
import { terminalSink } from "../render/terminal.ts";
import { jsonLinesSink } from "../render/json_lines.ts";
import { connectModel } from "./connect_model.ts";
import type { CliIo } from "./io.ts";

const OPTIONS = {
  task: { type: "string", short: "t" },
  model: { type: "string", short: "m" },
  "max-attempts": { type: "string", short: "n" },
  timeout: { type: "string" },
  lang: { type: "string" },
  "base-url": { type: "string" },
  engine: { type: "string" },
  host: { type: "string" },
  port: { type: "string" },
  "no-server": { type: "boolean" },
  config: { type: "string" },
  out: { type: "string" },
  json: { type: "boolean" },
  quiet: { type: "boolean" },
  "no-derive": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs `factory run ARGS`; returns the exit code. */
export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags("run", args, OPTIONS);
  if (values.help) {
    io.out(RUN_HELP + "\n");
    return EXIT.passed;
  }
  const language = languageFlag(values.lang);
  const text = positionals.join(" ").trim();
  if (values.task && text) throw new ConfigError("run: give either a task text or --task FILE, not both");
  if (!values.task && !text) {
    throw new ConfigError('run: no task given: pass a task text or --task FILE (see "run --help")');
  }
  const flags = checkPartialConfig({
    server: {
      model: values.model,
      baseUrl: values["base-url"],
      engine: values.engine as Engine | undefined,
      host: values.host,
      port: numberFlag("port", values.port, { min: 1, integer: true }),
    },
    agent: {
      maxAttempts: numberFlag("max-attempts", values["max-attempts"], { min: 1, integer: true }),
      executionTimeoutSec: numberFlag("timeout", values.timeout, { min: 0.001 }),
    },
  }, "Invalid flag");
  const file = await readConfigFile(values.config, { cwd: io.cwd });
  const derive = !values["no-derive"];
  const task: Task = values.task
    ? await loadTaskFile(values.task, { language, derive })
    : taskFromText(text, { language, derive });
  const config = resolveConfig({ file: file.config, task, flags });
  const sandbox = await resolveSandbox(sandboxModeOf(config));
  if (sandbox.kind === "refused") throw new ConfigError(sandbox.reason);
  if (sandbox.kind === "unsandboxed" && sandbox.warning) io.err(`warning: ${sandbox.warning}\n`);
  const quiet = values.quiet ?? false;
  await using connection = await connectModel(config, {
    noServer: values["no-server"] ?? false,
    signal: io.signal,
    say: quiet || values.json ? () => {} : io.err,
    defaultModel: io.defaultModel,
  });
  const result = await runWithSink(task, config, connection.model, values, io);
  if (result.status === "error") {
    const why = await connection.diagnose();
    io.err(`error: ${result.stopDetail}${why ? `\n${why}` : ""}\n`);
  }
  return exitCodeOf(result);
}

function languageFlag(value: string | undefined): Language | undefined {
  if (value === undefined) return undefined;
  if (value === "python" || value === "typescript") return value;
  throw new ConfigError(`--lang: expected python or typescript, got "${value}"`);
}

async function runWithSink(
  task: Task,
  config: Config,
  model: Parameters<typeof runTask>[1]["model"],
  values: { json?: boolean; quiet?: boolean; out?: string },
  io: CliIo,
): Promise<RunResult> {
  using terminal = terminalSink({ write: io.out, tty: io.tty, quiet: values.quiet });
  const emit = values.json ? jsonLinesSink(io.out) : terminal.sink;
  return await runTask(task, {
    model,
    limits: limitsFor(config),
    outDir: values.out ?? "runs",
    emit,
    signal: io.signal,
    executor: sandboxExecutor({ sandbox: sandboxModeOf(config) }),
  });
}

/** The documented exit code of a run's status. */
export function exitCodeOf(result: RunResult): number {
  switch (result.status) {
    case "passed":
      return EXIT.passed;
    case "failed":
      return EXIT.failed;
    case "error":
      return EXIT.server;
    case "interrupted":
      return EXIT.interrupted;
    default: {
      const never: never = result.status;
      return never;
    }
  }
}
