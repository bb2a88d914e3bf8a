/**
 * Reading a server's log file: the tail shown by `factory server logs` and in start failures.
 *
 * @module
 */

import { type EnvReader, realEnv } from "../host/cache_paths.ts";
import { serverStateDir } from "./paths.ts";
import { cacheRoot } from "../host/cache_paths.ts";
import { join } from "node:path";
import { readState, recordedPorts, stateFilePath } from "./state_file.ts";

/**
 * The last `lines` lines of a file (reading at most its last 256 KiB); "" when it does not exist. A
 * carriage return ends a line too, so a progress bar redrawn in place shows only its latest state.
 */
export async function logTail(path: string, lines = 20): Promise<string> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch {
    return "";
  }
  try {
    const size = (await file.stat()).size;
    const start = Math.max(0, size - 256 * 1024);
    await file.seek(start, Deno.SeekMode.Start);
    const buffer = new Uint8Array(size - start);
    let offset = 0;
    while (offset < buffer.length) {
      const n = await file.read(buffer.subarray(offset));
      if (n === null) break;
      offset += n;
    }
    const text = new TextDecoder().decode(buffer.subarray(0, offset)).replace(/\s+$/, "");
    return text.split(/\r?\n|\r/).slice(-lines).join("\n");
  } finally {
    file.close();
  }
}

/** Options of {@linkcode serverLogs}. */
export interface ServerLogsOptions {
  /** The server's port. @default {the most recently recorded server, else the newest log file} */
  port?: number;
  /** How many lines to return from the end of the log. @default {50} */
  lines?: number;
  /** Where server state files and logs are. @default {serverStateDir(cacheRoot())} */
  stateDir?: string;
  /** Reads environment variables, such as those locating the cache root. @default {the real environment} */
  env?: EnvReader;
}

/** The tail of a server's log file; "" when there is none. */
export async function serverLogs(options: ServerLogsOptions = {}): Promise<string> {
  const dir = options.stateDir ?? serverStateDir(cacheRoot(options.env ?? realEnv));
  const port = options.port ?? (await recordedPorts(dir))[0];
  if (port !== undefined) {
    const read = await readState(stateFilePath(dir, port));
    if (read.kind === "valid") return await logTail(read.state.logPath, options.lines ?? 50);
  }
  const log = await newestLog(dir, port);
  return log ? await logTail(log, options.lines ?? 50) : "";
}

async function newestLog(dir: string, port: number | undefined): Promise<string | undefined> {
  let best: { path: string; mtime: number } | undefined;
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.name.endsWith(port === undefined ? ".log" : `-${port}.log`)) continue;
      const path = join(dir, entry.name);
      const mtime = (await Deno.stat(path)).mtime?.getTime() ?? 0;
      if (!best || mtime > best.mtime) best = { path, mtime };
    }
  } catch {
    return undefined;
  }
  return best?.path;
}
