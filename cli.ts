/**
 * The command-line entry: `deno run -A cli.ts "<task>"`. A thin shell: parse the command, call lib/,
 * and map errors to the documented exit codes. The only error boundary.
 *
 * @module
 */
import { printable } from "./lib/host/printable.ts";
import { ConfigError, EXIT, ModelError, ServerError } from "./lib/errors.ts";
import { type CliIo, commandOf, denoIo } from "./lib/cli/io.ts";
import { MAIN_HELP, withCommand } from "./lib/cli/help.ts";
import { factoryCommand } from "./lib/host/invocation.ts";
import { runCommand } from "./lib/cli/run_command.ts";
import { serverCommand } from "./lib/cli/server_command.ts";
import { doctorCommand, engineCommand } from "./lib/cli/engine_command.ts";
import { modelCommand } from "./lib/cli/model_command.ts";
import { offlineDefaultModel } from "./lib/setup/default_model.ts";
import { benchCommand } from "./lib/cli/bench_command.ts";

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  run: runCommand,
  server: serverCommand,
  engine: engineCommand,
  doctor: doctorCommand,
  model: modelCommand,
  bench: benchCommand,
};

/** Runs the CLI with `args`; returns the exit code. */
export async function main(args: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = args;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    io.out(withCommand(MAIN_HELP, commandOf(io)) + "\n");
    return first === undefined ? EXIT.usage : EXIT.passed;
  }
  const command = COMMANDS[first];
  try {
    if (command) return await command(rest, io);
    if (first.startsWith("-")) return await runCommand(args, io);
    if (/^[a-z]+$/.test(first)) {
      // A lone lowercase word is more likely a mistyped command than a task; `run WORD` still works.
      throw new ConfigError(`Unknown command: ${first} (for a one-word task use: run ${first}; see --help)`);
    }
    return await runCommand(args, io);
  } catch (error) {
    return report(error, io);
  }
}

/** Prints one line for a domain error and returns its exit code; rethrows bugs. */
function report(error: unknown, io: CliIo): number {
  // A server's or a file's text may be in the message: shown printable, never raw.
  if (error instanceof ConfigError) {
    io.err(`error: ${printable(error.message)}\n`);
    return EXIT.usage;
  }
  if (error instanceof ServerError || error instanceof ModelError) {
    io.err(`error: ${printable(error.message)}\n`);
    return EXIT.server;
  }
  if (io.signal.aborted) {
    io.err("interrupted\n");
    return EXIT.interrupted;
  }
  throw error;
}

/**
 * Runs the CLI as a process: Ctrl-C and SIGTERM abort the work (children killed, artifacts kept), then
 * the process exits with the command's code. `bench/run.ts` enters here too.
 */
export async function runCli(args: string[]): Promise<never> {
  const controller = new AbortController();
  const onSignal = () => controller.abort(new DOMException("Interrupted", "AbortError"));
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  const io = denoIo(controller.signal);
  io.command = await factoryCommand();
  io.defaultModel = (config, say) => offlineDefaultModel(config, { signal: io.signal, say });
  Deno.exit(await main(args, io));
}

if (import.meta.main) await runCli(Deno.args);
