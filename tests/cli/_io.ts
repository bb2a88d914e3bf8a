/** A captured CLI io for in-process tests. */
import type { CliIo } from "../../lib/cli/io.ts";

/** Captured stdout/stderr plus the io to pass to `main`. */
export interface CapturedIo extends CliIo {
  stdout(): string;
  stderr(): string;
}

/** An io writing to memory, in `cwd`. */
export function captureIo(cwd: string, signal: AbortSignal = new AbortController().signal): CapturedIo {
  let out = "";
  let err = "";
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    tty: false,
    cwd,
    signal,
    stdout: () => out,
    stderr: () => err,
  };
}
