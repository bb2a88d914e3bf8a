/**
 * What a CLI command may touch of the outside world, injected so commands are testable in-process.
 *
 * @module
 */
import type { Config } from "../config/schema.ts";
import type { Executor } from "../types.ts";
import type { Connect } from "../setup/connect_model.ts";
import type { ResolveSandboxOptions } from "../sandbox/sandbox_mode.ts";
import { COMMAND_NAME } from "../host/invocation.ts";
import type { DoctorOptions } from "../server/doctor.ts";
import type { EnvReader } from "../host/cache_paths.ts";

/** The CLI's side effects. */
export interface CliIo {
  /** Writes to stdout. */
  out(text: string): void;
  /** Writes to stderr. */
  err(text: string): void;
  /** Whether stdout is an interactive terminal with colours allowed. */
  tty: boolean;
  cwd: string;
  /** Aborted on Ctrl-C or SIGTERM. */
  signal: AbortSignal;
  /** How factory was started (`factory`, `deno run -A cli.ts`), for the commands hints show. @default {"factory"} */
  command?: string;
  /** The model to serve when none is configured. @default the verified offline model */
  defaultModel?: (config: Config, say: (line: string) => void) => Promise<string | undefined>;
  /** Connects `run` to its model (tests pass a scripted model). @default connect to or start a server */
  connect?: Connect;
  /** Runs `run`'s programs and checks (tests pass a fake executor). @default the sandbox executor */
  executor?: Executor;
  /** How `run` finds the OS sandbox (tests inject the detection). @default detect it on this machine */
  sandbox?: ResolveSandboxOptions;
  /** What `doctor` looks at (tests describe a machine). @default this machine */
  doctor?: DoctorOptions;
  /** Reads environment variables, such as those locating the cache (tests point it elsewhere). @default the real environment */
  env?: EnvReader;
}

/** The command hints show: how factory was started. */
export function commandOf(io: CliIo): string {
  return io.command ?? COMMAND_NAME;
}

/** The real terminal. */
export function denoIo(signal: AbortSignal): CliIo {
  const encoder = new TextEncoder();
  return {
    out: (text) => void Deno.stdout.writeSync(encoder.encode(text)),
    err: (text) => void Deno.stderr.writeSync(encoder.encode(text)),
    tty: Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR"),
    cwd: Deno.cwd(),
    signal,
  };
}
