/**
 * Running the real CLI as a subprocess, reading its JSON events as they come, and checking what a run
 * left behind.
 */
import assert from "node:assert/strict";
import { join } from "node:path";

/** A running `deno run -A cli.ts ...`. */
export interface CliProcess extends AsyncDisposable {
  child: Deno.ChildProcess;
  /** Resolves once stdout (JSON lines with --json) or stderr has shown `text`; all output so far. */
  waitFor(text: string, stream?: "stdout" | "stderr"): Promise<string>;
  /** Waits for the exit; resolves with the code and all output. */
  finish(): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** Starts the CLI with `args`; `env` is added to ours. */
export function startCli(args: string[], env: Record<string, string> = {}): CliProcess {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli.ts", ...args],
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const text = { stdout: "", stderr: "" };
  const waiters: Array<() => void> = [];
  const pump = async (stream: ReadableStream<Uint8Array>, name: "stdout" | "stderr") => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      text[name] += chunk;
      for (const wake of waiters.splice(0)) wake();
    }
    for (const wake of waiters.splice(0)) wake();
  };
  let closed = false;
  const pumped = Promise.all([pump(child.stdout, "stdout"), pump(child.stderr, "stderr")])
    .then(() => void (closed = true));
  const finish = async () => {
    const status = await child.status;
    await pumped;
    return { code: status.code, ...text };
  };
  return {
    child,
    async waitFor(needle, stream = "stdout") {
      while (!text[stream].includes(needle)) {
        if (closed) {
          throw new Error(`the CLI ended without printing ${needle}:\n${text.stdout}\n${text.stderr}`);
        }
        await Promise.race([new Promise<void>((wake) => waiters.push(wake)), pumped]);
      }
      return text[stream];
    },
    finish,
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already gone.
      }
      await finish();
    },
  };
}

/** The one run dir under `out`, failing when there is not exactly one. */
export async function onlyRun(out: string): Promise<string> {
  const runs = await runDirs(out);
  assert.equal(runs.length, 1, `runs: ${runs.join(", ")}`);
  return join(out, runs[0]);
}

/** The run dirs under `out` (none when `out` does not exist). */
export async function runDirs(out: string): Promise<string[]> {
  try {
    return (await Array.fromAsync(Deno.readDir(out))).map((e) => e.name);
  } catch {
    return [];
  }
}

/**
 * Checks that a run's transcript and summary agree and are complete up to the end: every transcript line
 * is JSON, it starts with run_start and ends with stop, and the stop event's status is the summary's.
 */
export async function assertConsistentRun(dir: string, status: string): Promise<Record<string, unknown>[]> {
  const events = (await Deno.readTextFile(join(dir, "transcript.jsonl"))).trim().split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.equal(events[0].kind, "run_start");
  const stop = events.at(-1) as { kind: string; result: { status: string; attempts: unknown[] } };
  assert.equal(stop.kind, "stop");
  const summary = JSON.parse(await Deno.readTextFile(join(dir, "summary.json")));
  assert.equal(summary.status, status);
  assert.equal(stop.result.status, status);
  assert.equal(summary.attempts, stop.result.attempts.length);
  return events;
}
