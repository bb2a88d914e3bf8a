/**
 * Running helper programs (npm, tar, git, cmake, python3) for provisioning and the doctor.
 * Shared by lib/server (provisioning, the doctor), lib/models (model fetching) and the doctor.
 *
 * @module
 */

/** How a helper program ended. */
export type CommandResult =
  | { kind: "exited"; code: number; stdout: string; stderr: string }
  /** The program is not installed (not on PATH). */
  | { kind: "not_found"; command: string };

/** Options of one helper run. */
export interface CommandOptions {
  /** The directory the program runs in. @default {this process's cwd} */
  cwd?: string;
  /** Variables added to (or overriding) this process's environment for the program. */
  env?: Record<string, string>;
  /** Kills the program's whole process group when aborted; the promise then rejects with the reason. */
  signal?: AbortSignal;
}

/** Runs a program to completion, capturing its output. Injected wherever programs are run. */
export type RunCommand = (
  command: string,
  args: string[],
  options?: CommandOptions,
) => Promise<CommandResult>;

/** Options of a run whose output goes to a log, line by line. */
export interface LoggedOptions extends CommandOptions {
  /** Receives every complete output line (stdout and stderr interleaved as they arrive). */
  onLine?: (line: string) => void;
  /** An open, writable log file; all output is appended to it. */
  log: Deno.FsFile;
}

/** Runs a long program, streaming its output to a log; resolves with its exit code. */
export type RunLogged = (command: string, args: string[], options: LoggedOptions) => Promise<number>;

/** The real RunCommand, on Deno.Command. */
export const runCommand: RunCommand = async (command, args, options = {}) => {
  const child = spawnGroup(command, args, options);
  if (child === undefined) return { kind: "not_found", command };
  const stop = killOnAbort(child, options.signal);
  try {
    const out = await child.output();
    options.signal?.throwIfAborted();
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    return { kind: "exited", code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
  } finally {
    stop();
  }
};

/** The real RunLogged: both streams are read to the end, so the program never blocks on a pipe. */
export const runLogged: RunLogged = async (command, args, options) => {
  const child = spawnGroup(command, args, options);
  if (child === undefined) {
    await options.log.write(new TextEncoder().encode(`command not found: ${command}\n`));
    return 127;
  }
  const stop = killOnAbort(child, options.signal);
  try {
    let chain = Promise.resolve();
    const sink = (chunk: Uint8Array) => {
      chain = chain.then(async () => void await options.log.write(chunk));
    };
    await Promise.all([
      pump(child.stdout, sink, options.onLine),
      pump(child.stderr, sink, options.onLine),
    ]);
    const status = await child.status;
    await chain;
    options.signal?.throwIfAborted();
    return status.code;
  } finally {
    stop();
  }
};

function spawnGroup(command: string, args: string[], options: CommandOptions): Deno.ChildProcess | undefined {
  options.signal?.throwIfAborted();
  try {
    return new Deno.Command(command, {
      args,
      cwd: options.cwd,
      env: options.env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      detached: Deno.build.os !== "windows",
    }).spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

function killOnAbort(child: Deno.ChildProcess, signal: AbortSignal | undefined): () => void {
  if (!signal) return () => {};
  const onAbort = () => {
    try {
      if (Deno.build.os === "windows") child.kill("SIGKILL");
      else Deno.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  };
  signal.addEventListener("abort", onAbort, { once: true });
  return () => signal.removeEventListener("abort", onAbort);
}

async function pump(
  stream: ReadableStream<Uint8Array>,
  sink: (chunk: Uint8Array) => void,
  onLine: ((line: string) => void) | undefined,
): Promise<void> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of stream) {
    sink(chunk);
    if (!onLine) continue;
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split(/\r?\n|\r/);
    pending = lines.pop() ?? "";
    for (const line of lines) onLine(line);
  }
  if (onLine && pending !== "") onLine(pending);
}

/** The last few lines of a failed program's output, for an error message. */
export function outputTail(result: CommandResult, lines = 3): string {
  if (result.kind === "not_found") return `${result.command} is not installed`;
  const text = `${result.stderr}\n${result.stdout}`.trim();
  const tail = text.split(/\r?\n/).filter((l) => l.trim() !== "").slice(-lines).join(" | ");
  return `exit code ${result.code}${tail ? `: ${tail}` : ""}`;
}
