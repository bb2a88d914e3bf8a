/**
 * Server processes: spawned in their own process group with stdout and stderr going to a log file
 * (never an unread pipe), signalled as a group, and waited for rather than slept on.
 *
 * @module
 */

import { pidAlive } from "../host/process.ts";
import { delay, within } from "../host/delay.ts";

/** How a process ended. */
export interface ExitStatus {
  /** The exit code (as Deno reports it; for a signalled process, 128 + the signal number). */
  code: number;
  /** The signal that ended the process (`SIGTERM`, ...), or null when it exited by itself. */
  signal: string | null;
}

/** A spawned server process. */
export interface ServerProcess {
  /** The process id. */
  pid: number;
  /** Its process group; equal to `pid` for a group leader. */
  pgid: number;
  /** Resolves when the process exits. */
  exited: Promise<ExitStatus>;
  /** Lets this program exit while the server keeps running. */
  unref(): void;
}

/** What to spawn. */
export interface SpawnRequest {
  /** The program and its arguments. */
  argv: string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** stdout and stderr are appended to this file. */
  logPath: string;
}

/** Spawns a server process; injected so tests can count and fake spawns. */
export type SpawnServer = (request: SpawnRequest) => ServerProcess;

/**
 * The real spawner: `/bin/sh` redirects both streams to the log and execs the server, in a new
 * session (so a new process group whose id is the server's pid). Unix only.
 */
export const spawnServer: SpawnServer = (request) => {
  const script = 'log=$1; shift; exec "$@" >>"$log" 2>&1';
  const child = new Deno.Command("/bin/sh", {
    args: ["-c", script, "sh", request.logPath, ...request.argv],
    env: request.env,
    stdin: "null",
    stdout: "null",
    stderr: "null",
    detached: true,
  }).spawn();
  const exited = child.status.then((s) => ({ code: s.code, signal: s.signal }));
  return { pid: child.pid, pgid: child.pid, exited, unref: () => child.unref() };
};

/** Sends a signal to a whole process group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: Deno.Signal): boolean {
  try {
    Deno.kill(-pgid, signal);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** Options of {@linkcode waitForExit}. */
export interface WaitOptions {
  timeoutMs: number;
  /** The process's own exit promise, when it is our child: waited on instead of polling. */
  exited?: Promise<unknown>;
}

/** Waits until the process is gone; true when it went within the timeout. */
export async function waitForExit(pid: number, options: WaitOptions): Promise<boolean> {
  if (options.exited) {
    const done = await within(options.exited.then(() => true), options.timeoutMs);
    return done === true || !pidAlive(pid);
  }
  const deadline = Date.now() + options.timeoutMs;
  let interval = 10;
  while (pidAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await delay(interval);
    interval = Math.min(interval * 2, 200);
  }
  return true;
}

/** How a group was stopped. */
export interface TerminateResult {
  /** The last signal sent; `none` when the process was already gone. */
  signal: "SIGTERM" | "SIGKILL" | "none";
  ms: number;
}

/** Options of {@linkcode terminateGroup}. */
export interface TerminateOptions {
  /** How long to wait after SIGTERM before SIGKILL. @default {10_000} */
  graceMs?: number;
  exited?: Promise<unknown>;
}

/** SIGTERM the group, wait for the process, SIGKILL the group after the grace period, wait again. */
export async function terminateGroup(
  target: { pid: number; pgid: number },
  options: TerminateOptions = {},
): Promise<TerminateResult> {
  const started = Date.now();
  const ms = () => Date.now() - started;
  if (!pidAlive(target.pid) && !options.exited) return { signal: "none", ms: 0 };
  if (!signalGroup(target.pgid, "SIGTERM")) {
    await waitForExit(target.pid, { timeoutMs: 1_000, exited: options.exited });
    return { signal: "none", ms: ms() };
  }
  const graceMs = options.graceMs ?? 10_000;
  if (await waitForExit(target.pid, { timeoutMs: graceMs, exited: options.exited })) {
    signalGroup(target.pgid, "SIGKILL"); // stragglers of the group, if any
    return { signal: "SIGTERM", ms: ms() };
  }
  signalGroup(target.pgid, "SIGKILL");
  await waitForExit(target.pid, { timeoutMs: 10_000, exited: options.exited });
  return { signal: "SIGKILL", ms: ms() };
}

/** The command line of a running process, when the OS tells (Linux `/proc`); undefined otherwise. */
export async function commandLine(pid: number): Promise<string[] | undefined> {
  try {
    const parts = (await Deno.readTextFile(`/proc/${pid}/cmdline`)).split("\0");
    if (parts.at(-1) === "") parts.pop();
    return parts.length > 0 ? parts : undefined;
  } catch {
    return undefined;
  }
}
