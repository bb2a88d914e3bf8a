/**
 * Handles on a running model server. An owned handle (this process started the server) stops it on
 * `stop()` or disposal; a borrowed handle (a server someone else started, or one we reused) never
 * stops anything.
 *
 * @module
 */

import type { Endpoint, EngineDriver } from "./engines/engine.ts";
import type { EngineName } from "../types.ts";
import { delay, within } from "../host/delay.ts";
import { pidAlive } from "../host/process.ts";
import { type ServerProcess, terminateGroup } from "./process_group.ts";
import { logTail } from "./server_logs.ts";
import { readState, removeState } from "./state_file.ts";
import type { Speculation } from "./speculation.ts";

/** A running model server. `await using` it to stop it (when this handle started it) on every exit path. */
export interface ServerHandle extends AsyncDisposable {
  /** The OpenAI base URL, ending in `/v1`. */
  readonly baseUrl: string;
  /** The model as configured (a local path made absolute). */
  readonly model: string;
  /** The engine serving the model. */
  readonly engine: EngineName;
  /** The server's pid, when it is a process we know. */
  readonly pid?: number;
  /** True when this handle started the server: only then does `stop()` stop it. */
  readonly startedByUs: boolean;
  /** The server's log file, when factory started it (a foreign or `openai` server has none). */
  readonly logPath?: string;
  /** The speculative decoding it runs with, when factory started it (unknown for other servers). */
  readonly speculation?: Speculation;
  /** Stops the server when this handle started it (SIGTERM, wait, SIGKILL); otherwise does nothing. */
  stop(): Promise<void>;
  /** Whether the server still answers; when not, why, with the last log lines. */
  checkHealth(options?: { signal?: AbortSignal }): Promise<HealthCheck>;
}

/** The outcome of {@linkcode ServerHandle.checkHealth}. */
export type HealthCheck =
  | { kind: "healthy" }
  | { kind: "unhealthy"; detail: string; logTail: string };

/** What a handle needs to know. */
export interface HandleParts {
  engine: EngineDriver;
  endpoint: Endpoint;
  model: string;
  fetch: typeof fetch;
  pid?: number;
  logPath?: string;
  speculation?: Speculation;
}

/** A handle on a server this process started. */
export function ownedHandle(
  parts: HandleParts & { process: ServerProcess; statePath: string; graceMs: number },
): ServerHandle {
  let stopping: Promise<void> | undefined;
  // A dead pid's exit status arrives a moment later: wait briefly for it rather than race it.
  const gone = async () => {
    if (pidAlive(parts.process.pid)) return undefined;
    const status = await within(parts.process.exited, 1_000);
    if (!status) return `pid ${parts.process.pid} is gone`;
    return `it exited with ${status.signal ? `signal ${status.signal}` : `code ${status.code}`}`;
  };
  const stop = () =>
    stopping ??= (async () => {
      await terminateGroup(parts.process, { exited: parts.process.exited, graceMs: parts.graceMs });
      const read = await readState(parts.statePath);
      if (read.kind === "valid" && read.state.pid === parts.process.pid) await removeState(parts.statePath);
    })();
  return {
    ...common(parts, gone),
    pid: parts.process.pid,
    startedByUs: true,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** A handle on a server this process did not start; stopping it does nothing. */
export function borrowedHandle(parts: HandleParts): ServerHandle {
  const pid = parts.pid;
  const gone = () => Promise.resolve(pid !== undefined && !pidAlive(pid) ? `pid ${pid} is gone` : undefined);
  const stop = () => Promise.resolve();
  return { ...common(parts, gone), pid, startedByUs: false, stop, [Symbol.asyncDispose]: stop };
}

function common(parts: HandleParts, gone: () => Promise<string | undefined>) {
  const name = parts.engine.name === "openai" ? "the model server" : parts.engine.program;
  return {
    baseUrl: parts.endpoint.api,
    model: parts.model,
    engine: parts.engine.name,
    logPath: parts.logPath,
    speculation: parts.speculation,
    async checkHealth(options: { signal?: AbortSignal } = {}): Promise<HealthCheck> {
      const tail = async () => parts.logPath ? await logTail(parts.logPath, 20) : "";
      const died = await gone();
      if (died) {
        return { kind: "unhealthy", detail: `${name} is not running: ${died}`, logTail: await tail() };
      }
      const probe = await parts.engine.probe(parts.endpoint, { fetch: parts.fetch, signal: options.signal });
      if (probe.kind === "ready") return { kind: "healthy" };
      const after = await settledGone(gone);
      const detail = after ? `${name} is not running: ${after}` : `${name} does not answer: ${probe.detail}`;
      return { kind: "unhealthy", detail, logTail: await tail() };
    },
  };
}

/**
 * A server that stopped answering may be dying (a SIGKILL takes a moment to reach every thread): look
 * again for up to a second before saying it is alive but silent.
 */
async function settledGone(gone: () => Promise<string | undefined>): Promise<string | undefined> {
  for (let waited = 0; waited < 1_000; waited += 100) {
    const died = await gone();
    if (died) return died;
    await delay(100);
  }
  return await gone();
}
