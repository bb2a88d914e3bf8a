/**
 * Runs one launch plan to its end, a timeout or an abort, private to the sandbox folder.
 *
 * @module
 */

import type { Captured, ExecResult } from "../types.ts";
import type { Launch } from "./_launch.ts";
import { captureStream } from "./output_cap.ts";
import { inNewSession, killProcessTree } from "./process_tree.ts";

/** Options for {@linkcode runCommand}. */
export interface SandboxedRunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  maxOutputBytes?: number;
  /** Path of util-linux `setsid`; null runs without a new session. @default {found on PATH} */
  setsidPath?: string | null;
  /** How long the output readers may still take once the process tree is dead. @default {500} */
  drainGraceMs?: number;
  /**
   * Watches the run (a disk quota): resolving with a sentence stops the program like a timeout would,
   * and the result is `exited` with the sentence as a `limit` note. Its signal aborts when the run ends.
   */
  guard?: (signal: AbortSignal) => Promise<string | undefined>;
  /** Called right after the process tree is killed, to kill what escaped it (the sandbox user's sweep). */
  sweep?: () => Promise<void>;
  /**
   * False when `sweep` kills every process of the run by itself (a control group holds them all): the
   * process tree is then not looked for in `/proc` first. @default {true}
   */
  treeKill?: boolean;
}

type Ending = "exited" | "timed_out" | "interrupted" | { stopped: string };

/**
 * Spawns `launch` in its own session with stdin closed and waits for it to exit, the timeout to pass or
 * `signal` to abort. The whole process tree is then killed — after a normal exit too, so nothing it left
 * running survives — and the output readers get a short grace period before they are cancelled, so a
 * pipe held open by an escaped grandchild cannot keep us waiting. Never throws for program behaviour.
 */
export async function runSandboxed(launch: Launch, options: SandboxedRunOptions): Promise<ExecResult> {
  const { timeoutMs, signal, maxOutputBytes, drainGraceMs = 500 } = options;
  const started = performance.now();
  if (signal?.aborted) return { kind: "interrupted", afterMs: 0, stdout: EMPTY, stderr: EMPTY };
  const spawned = await spawn(launch, options.setsidPath);
  if (spawned.kind === "refused") return spawned;
  const { child, ownSession } = spawned;
  const readers = new AbortController();
  const output = Promise.all([
    captureStream(child.stdout, { maxBytes: maxOutputBytes, signal: readers.signal }),
    captureStream(child.stderr, { maxBytes: maxOutputBytes, signal: readers.signal }),
  ]);
  let reaped = false;
  child.status.then(() => reaped = true);
  const watching = new AbortController();
  const guarded = options.guard?.(watching.signal).then((why) =>
    why === undefined ? undefined : { stopped: why }
  );
  const ending = await waitForEnding(child, timeoutMs, signal, guarded);
  watching.abort();
  await guarded;
  const ms = Math.round(performance.now() - started);
  // Once the child itself is reaped its pid may be reused: then sweep only its session, never ppid links.
  if (options.treeKill !== false) await killProcessTree(child.pid, { tree: !reaped, group: ownSession });
  await options.sweep?.();
  const status = await child.status;
  const [stdout, stderr] = await withGrace(output, drainGraceMs, readers);
  return resultOf(ending, status.code, stdout, stderr, ms);
}

function resultOf(ending: Ending, code: number, stdout: Captured, stderr: Captured, ms: number): ExecResult {
  if (typeof ending === "object") {
    return {
      kind: "exited",
      code,
      stdout,
      stderr,
      ms,
      notes: [{ kind: "limit", text: `stopped: ${ending.stopped}` }],
    };
  }
  switch (ending) {
    case "exited":
      return { kind: "exited", code, stdout, stderr, ms };
    case "timed_out":
      return { kind: "timed_out", afterMs: ms, stdout, stderr };
    case "interrupted":
      return { kind: "interrupted", afterMs: ms, stdout, stderr };
    default: {
      const unknown: never = ending;
      throw new TypeError(`Unknown ending: ${unknown}`);
    }
  }
}

/** Spawns `launch` in a new session when possible; `refused` when it cannot be started. */
async function spawn(
  launch: Launch,
  setsidPath: string | null | undefined,
): Promise<
  | { kind: "spawned"; child: Deno.ChildProcess; ownSession: boolean }
  | Extract<ExecResult, { kind: "refused" }>
> {
  const session = await inNewSession(launch.command, launch.args, setsidPath);
  try {
    const child = new Deno.Command(session.command, {
      args: session.args,
      cwd: launch.cwd,
      env: launch.env,
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    return { kind: "spawned", child, ownSession: session.ownSession };
  } catch (error) {
    return { kind: "refused", reason: `Cannot start ${launch.command}: ${(error as Error).message}` };
  }
}

const EMPTY: Captured = { text: "", bytes: 0, truncated: false };

async function waitForEnding(
  child: Deno.ChildProcess,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  guarded: Promise<{ stopped: string } | undefined> | undefined,
): Promise<Ending> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = guarded?.then((stop) => stop ?? new Promise<never>(() => {}));
  try {
    return await Promise.race([
      child.status.then((): Ending => "exited"),
      ...(stopped ? [stopped] : []),
      new Promise<Ending>((resolve) => {
        timer = setTimeout(() => resolve("timed_out"), timeoutMs);
        onAbort = () => resolve("interrupted");
        if (signal?.aborted) onAbort();
        signal?.addEventListener("abort", onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  }
}

async function withGrace<T>(work: Promise<T>, graceMs: number, controller: AbortController): Promise<T> {
  const timer = setTimeout(() => controller.abort(), graceMs);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
}
