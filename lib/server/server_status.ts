/**
 * `factory server status`: what factory's recorded server is doing, verified over HTTP. A state file
 * whose process is gone, or whose pid now belongs to another program, is cleaned up on the way.
 *
 * @module
 */

import { type Inspection, inspectRecorded } from "./_inspect.ts";
import { type EngineName } from "../types.ts";
import { localEndpoint, type Readiness, type SlotInfo } from "./engines/engine.ts";
import { engineFor } from "./engines/select.ts";
import { cacheRoot, type EnvReader, realEnv } from "../host/cache_paths.ts";
import { serverStateDir } from "./paths.ts";
import { recordedPorts } from "./state_file.ts";
import { NO_SPECULATION, type Speculation } from "./speculation.ts";

/** The status of factory's server on a port. */
export type ServerStatus =
  | {
    kind: "running";
    engine: EngineName;
    model: string;
    pid: number;
    host: string;
    port: number;
    baseUrl: string;
    /** ISO 8601. */
    startedAt: string;
    uptimeMs: number;
    /** One probe's answer: `ready`, `loading` (still loading the model) or `down` (not answering). */
    health: Readiness;
    /** llama.cpp's slots, when it reports them. */
    slots?: SlotInfo[];
    /** The speculative decoding it was started with (off for a server recorded without it). */
    speculation: Speculation;
    logPath: string;
  }
  /** No server of ours; `cleaned` says which stale record was removed, if any. */
  | { kind: "not_running"; port?: number; cleaned?: string };

/** Options of {@linkcode serverStatus} and `stopServer`. */
export interface ServerQueryOptions {
  /** The server's port. @default {the most recently recorded server} */
  port?: number;
  /** Where server state files and logs are. @default {serverStateDir(cacheRoot())} */
  stateDir?: string;
  /** Reads environment variables, such as those locating the cache root. @default {the real environment} */
  env?: EnvReader;
  /** The fetch used to probe the server (injectable for tests). @default {globalThis.fetch} */
  fetch?: typeof fetch;
  /** Aborting cancels the server probes. */
  signal?: AbortSignal;
  /** The clock the uptime is measured against. @default {() => new Date()} */
  now?: () => Date;
}

/** The state directory and the port a query is about. Internal. */
export async function queryTarget(options: ServerQueryOptions): Promise<{ dir: string; port?: number }> {
  const dir = options.stateDir ?? serverStateDir(cacheRoot(options.env ?? realEnv));
  return { dir, port: options.port ?? (await recordedPorts(dir))[0] };
}

/** Factory's recorded, live server a query is about; or why there is none (stale records are cleaned). */
export async function recordedServer(
  options: ServerQueryOptions,
): Promise<
  | { kind: "found"; dir: string; port: number; state: Extract<Inspection, { kind: "ours" }>["state"] }
  | { kind: "not_running"; port?: number; cleaned?: string }
> {
  const { dir, port } = await queryTarget(options);
  if (port === undefined) return { kind: "not_running" };
  const found = await inspectRecorded(dir, port, {
    fetch: options.fetch ?? globalThis.fetch,
    signal: options.signal,
  });
  if (found.kind === "none") return { kind: "not_running", port };
  if (found.kind === "stale") return { kind: "not_running", port, cleaned: found.detail };
  return { kind: "found", dir, port, state: found.state };
}

/** Reports engine, model, pid, port, uptime, health and slots of factory's server. */
export async function serverStatus(options: ServerQueryOptions = {}): Promise<ServerStatus> {
  const found = await recordedServer(options);
  if (found.kind === "not_running") return found;
  const { state } = found;
  const fetch = options.fetch ?? globalThis.fetch;
  const engine = engineFor(state.engine);
  const endpoint = localEndpoint(state.host, state.port);
  const probeOptions = { fetch, signal: options.signal };
  const health = await engine.probe(endpoint, probeOptions);
  const slots = health.kind === "ready" && engine.slots
    ? await engine.slots(endpoint, probeOptions)
    : undefined;
  const now = (options.now ?? (() => new Date()))().getTime();
  return {
    kind: "running",
    engine: state.engine,
    model: state.model,
    pid: state.pid,
    host: state.host,
    port: state.port,
    baseUrl: state.baseUrl,
    startedAt: state.startedAt,
    uptimeMs: Math.max(0, now - Date.parse(state.startedAt)),
    health,
    slots,
    speculation: state.speculation ?? NO_SPECULATION,
    logPath: state.logPath,
  };
}
