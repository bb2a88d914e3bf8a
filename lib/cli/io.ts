/**
 * What a CLI command may touch of the outside world, injected so commands are testable in-process.
 *
 * @module
 */
import type { Config } from "../config/schema.ts";

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
  /** The model to serve when none is configured. @default the verified offline model */
  defaultModel?: (config: Config, say: (line: string) => void) => Promise<string | undefined>;
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
