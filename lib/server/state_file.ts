/**
 * The record of a server factory started: one JSON file per port under the state directory, written
 * atomically and validated with zod when read, so `status`, `stop` and `run` in another process can
 * find, verify and stop it.
 *
 * @module
 */

import { z } from "zod";
import { join } from "node:path";
import { SpeculationSchema } from "./speculation.ts";

const StateSchema = z.object({
  version: z.literal(1),
  engine: z.enum(["llama.cpp", "mlx", "ollama", "openai"]),
  /** The model as configured (a local path made absolute). */
  model: z.string(),
  /** The model as the server named it once ready (llama.cpp: the GGUF path). */
  servedModel: z.string().optional(),
  host: z.string(),
  port: z.number().int().min(1).max(65535),
  baseUrl: z.string(),
  pid: z.number().int().positive(),
  pgid: z.number().int().positive(),
  argv: z.array(z.string()).min(1),
  /** ISO 8601. */
  startedAt: z.string(),
  logPath: z.string(),
  /** Speculative decoding it runs with; absent means off (servers recorded before the setting existed). */
  speculation: SpeculationSchema.optional(),
});

/** What a state file records about a started server. */
export type ServerState = z.infer<typeof StateSchema>;

/** The result of reading a state file. */
export type StateRead =
  | { kind: "absent" }
  | { kind: "valid"; state: ServerState }
  | { kind: "invalid"; detail: string };

/** The state file of the server on a port. */
export function stateFilePath(dir: string, port: number): string {
  return join(dir, `server-${port}.json`);
}

/** The log file of a server on a port. */
export function logFilePath(dir: string, engine: string, port: number): string {
  return join(dir, `${engine}-${port}.log`);
}

/** Reads and validates a state file. */
export async function readState(path: string): Promise<StateRead> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { kind: "absent" };
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: "invalid", detail: `${path} is not JSON` };
  }
  const parsed = StateSchema.safeParse(json);
  if (!parsed.success) return { kind: "invalid", detail: `${path}: ${parsed.error.issues[0]?.message}` };
  return { kind: "valid", state: parsed.data };
}

/** Writes a state file atomically (temp file, then rename). */
export async function writeState(path: string, state: ServerState): Promise<void> {
  const temp = `${path}.${Deno.pid}.tmp`;
  await Deno.writeTextFile(temp, JSON.stringify(StateSchema.parse(state), null, 2) + "\n");
  await Deno.rename(temp, path);
}

/** Removes a state file; missing is fine. */
export async function removeState(path: string): Promise<void> {
  await Deno.remove(path).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
}

/** The ports that have a state file in a directory, most recently written first. */
export async function recordedPorts(dir: string): Promise<number[]> {
  const found: { port: number; mtime: number }[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      const match = /^server-(\d+)\.json$/.exec(entry.name);
      if (!match || !entry.isFile) continue;
      const info = await Deno.stat(join(dir, entry.name)).catch(() => undefined);
      found.push({ port: Number(match[1]), mtime: info?.mtime?.getTime() ?? 0 });
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return found.sort((a, b) => b.mtime - a.mtime).map((f) => f.port);
}
