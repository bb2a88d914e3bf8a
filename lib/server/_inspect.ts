/**
 * Deciding what a state file's server is now: ours and alive, or stale (its pid is dead, or reused
 * by another program). Stale state files are removed; no process is ever signalled here. Private to
 * lib/server.
 *
 * @module
 */

import type { Identity } from "./engines/engine.ts";
import { localEndpoint } from "./engines/engine.ts";
import { engineFor } from "./engines/select.ts";
import { commandLine } from "./process_group.ts";
import { pidAlive } from "../host/process.ts";
import { readState, removeState, type ServerState, stateFilePath } from "./state_file.ts";

/** What a recorded server turned out to be. */
export type Inspection =
  | { kind: "none" }
  /** The state file was removed; `detail` says why. */
  | { kind: "stale"; detail: string }
  /** Our server's process is alive; `identity` is undefined when it does not answer over HTTP. */
  | { kind: "ours"; state: ServerState; identity?: Identity };

/** Options of {@linkcode inspectRecorded}. */
export interface InspectOptions {
  fetch: typeof fetch;
  signal?: AbortSignal;
  /** @default {commandLine from /proc} */
  commandLine?: (pid: number) => Promise<string[] | undefined>;
}

/** Inspects the recorded server on a port, removing its state file when stale. */
export async function inspectRecorded(
  dir: string,
  port: number,
  options: InspectOptions,
): Promise<Inspection> {
  const path = stateFilePath(dir, port);
  const read = await readState(path);
  if (read.kind === "absent") return { kind: "none" };
  if (read.kind === "invalid") return await stale(path, `unreadable state file: ${read.detail}`);
  const state = read.state;
  if (!pidAlive(state.pid)) return await stale(path, `pid ${state.pid} is gone`);
  const command = await (options.commandLine ?? commandLine)(state.pid);
  if (command && !sameCommand(command, state.argv)) {
    return await stale(path, `pid ${state.pid} is now another program (${command.join(" ").slice(0, 80)})`);
  }
  const engine = engineFor(state.engine);
  const identity = await engine.identify(localEndpoint(state.host, state.port), options);
  if (identity?.engine === state.engine) return { kind: "ours", state, identity };
  // Without a command line to compare, only the HTTP identity vouches for the pid.
  if (!command) {
    return await stale(path, `pid ${state.pid} does not answer as ${state.engine} on port ${port}`);
  }
  return { kind: "ours", state };
}

/**
 * Whether a live command line is the recorded one. The program part may differ (a pyenv shim execs
 * the real python; a wrapper script adds its own arguments), so the recorded arguments must end the
 * live command line.
 */
export function sameCommand(actual: string[], recorded: string[]): boolean {
  const args = recorded.slice(1);
  if (actual.length < args.length + 1) return false;
  return actual.slice(actual.length - args.length).join("\0") === args.join("\0");
}

async function stale(path: string, detail: string): Promise<Inspection> {
  await removeState(path);
  return { kind: "stale", detail };
}
