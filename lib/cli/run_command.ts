/**
 * `factory run`: parse flags, let the setup layer decide the settings and prepare the run (sandbox,
 * model server, sinks), run it, and map the result to an exit code.
 *
 * @module
 */
import { printable } from "../host/printable.ts";
import type { EngineChoice, Language, RunResult, SpeculativeChoice } from "../types.ts";
import { ConfigError, EXIT } from "../errors.ts";
import { numberFlag, parseFlags } from "./parse.ts";
import { RUN_HELP, withCommand } from "./help.ts";
import { checkPartialConfig, type PartialConfig } from "../config/schema.ts";
import { resolveSettings } from "../setup/settings.ts";
import { prepareRun } from "../setup/prepare_run.ts";
import { type Output, outputSink } from "../setup/output_sinks.ts";
import { type CliIo, commandOf } from "./io.ts";
import { flagOfKey } from "./flag_names.ts";
import { DEFAULT_OUTPUT_LINES } from "../render/program_output.ts";

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
  speculative: { type: "string" },
  config: { type: "string" },
  out: { type: "string" },
  json: { type: "boolean" },
  quiet: { type: "boolean" },
  verbose: { type: "boolean", short: "v" },
  "no-derive": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs `factory run ARGS`; returns the exit code. */
export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags("run", args, OPTIONS);
  if (values.help) {
    io.out(withCommand(RUN_HELP, commandOf(io)) + "\n");
    return EXIT.passed;
  }
  const language = languageFlag(values.lang);
  const text = positionals.join(" ").trim();
  if (values.task && text) throw new ConfigError("run: give either a task text or --task FILE, not both");
  if (!values.task && !text) {
    throw new ConfigError('run: no task given: pass a task text or --task FILE (see "run --help")');
  }
  const settings = await resolveSettings({
    task: values.task ? { kind: "file", path: values.task } : { kind: "text", text },
    language,
    derive: !values["no-derive"],
    flags: flagsOf(values),
    configFile: values.config,
    cwd: io.cwd,
  });
  const output: Output = values.json ? "json" : values.quiet ? "quiet" : "terminal";
  using sink = outputSink(output, {
    write: io.out,
    tty: io.tty,
    programOutput: { lines: values.verbose ? "all" : DEFAULT_OUTPUT_LINES, cutHint: "--verbose shows all" },
  });
  await using run = await prepareRun(settings, {
    noServer: values["no-server"] ?? false,
    signal: io.signal,
    say: output === "terminal" ? io.err : () => {},
    warn: io.err,
    command: commandOf(io),
    defaultModel: io.defaultModel,
    connect: io.connect,
    executor: io.executor,
    sandboxOptions: io.sandbox,
    emit: sink.emit,
    outDir: values.out,
  });
  const result = await run.run();
  if (result.status === "error") {
    const why = await run.connection.diagnose();
    io.err(`error: ${printable(result.stopDetail)}${why ? `\n${printable(why)}` : ""}\n`);
  }
  return exitCodeOf(result);
}

/** The config layer the flags make; each flag is validated and named as typed. */
function flagsOf(values: Record<string, string | boolean | undefined>): PartialConfig {
  const str = (name: string) => values[name] as string | undefined;
  return checkPartialConfig(
    {
      server: {
        model: str("model"),
        baseUrl: str("base-url"),
        engine: str("engine") as EngineChoice | undefined,
        host: str("host"),
        port: numberFlag("port", str("port"), { min: 1, integer: true }),
        speculative: str("speculative") as SpeculativeChoice | undefined,
      },
      agent: {
        maxAttempts: numberFlag("max-attempts", str("max-attempts"), { min: 1, integer: true }),
        executionTimeoutSec: numberFlag("timeout", str("timeout"), { min: 0.001 }),
      },
    },
    "Invalid flag",
    flagOfKey,
  );
}

function languageFlag(value: string | undefined): Language | undefined {
  if (value === undefined) return undefined;
  if (value === "python" || value === "typescript") return value;
  throw new ConfigError(`--lang: expected python or typescript, got "${value}"`);
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
