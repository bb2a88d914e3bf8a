/**
 * `factory server stop`: stops factory's recorded server, from any process: SIGTERM to its process
 * group, wait for it, SIGKILL after a grace period. A stale record is only cleaned; a pid that now
 * belongs to another program is never signalled.
 *
 * @module
 */

import { terminateGroup } from "./process_group.ts";
import { recordedServer, type ServerQueryOptions } from "./server_status.ts";
import { removeState, stateFilePath } from "./state_file.ts";

/** What `stopServer` did. */
export type StopOutcome =
  | {
    kind: "stopped";
    engine: string;
    pid: number;
    port: number;
    signal: "SIGTERM" | "SIGKILL" | "none";
    ms: number;
  }
  /** Nothing of ours was running; `cleaned` says which stale record was removed, if any. */
  | { kind: "not_running"; port?: number; cleaned?: string };

/** Options of {@linkcode stopServer}. */
export interface StopOptions extends ServerQueryOptions {
  /** How long to wait after SIGTERM before SIGKILL. @default {10_000} */
  graceMs?: number;
}

/** Stops factory's server on a port (default: the most recently recorded one). */
export async function stopServer(options: StopOptions = {}): Promise<StopOutcome> {
  const found = await recordedServer(options);
  if (found.kind === "not_running") return found;
  const { dir, port, state } = found;
  const result = await terminateGroup(state, { graceMs: options.graceMs });
  await removeState(stateFilePath(dir, port));
  return {
    kind: "stopped",
    engine: state.engine,
    pid: state.pid,
    port,
    signal: result.signal,
    ms: result.ms,
  };
}
