/**
 * A disk quota for a work dir: RLIMIT_FSIZE bounds each file, this bounds them all together, and the
 * number of entries, by measuring the dir while the program runs.
 *
 * @module
 */

import { join } from "node:path";
import { mib } from "./rlimits.ts";

/** What a work dir holds. */
export interface DirUsage {
  /** Bytes on disk (allocated blocks, so sparse files count for what they really use). */
  bytes: number;
  /** Files, dirs and links, the dir itself left out. */
  entries: number;
  /** False when the walk stopped early at `maxEntries`. */
  complete: boolean;
}

/** Measures `dir` without following symbolic links, stopping after `maxEntries` entries. */
export async function measureDir(dir: string, maxEntries: number): Promise<DirUsage> {
  const usage: DirUsage = { bytes: 0, entries: 0, complete: true };
  const pending = [dir];
  while (pending.length > 0) {
    const path = pending.pop()!;
    let listing: AsyncIterable<Deno.DirEntry>;
    try {
      listing = Deno.readDir(path);
      for await (const entry of listing) {
        if (++usage.entries > maxEntries) return { ...usage, complete: false };
        const child = join(path, entry.name);
        const info = await Deno.lstat(child).catch(() => undefined);
        if (!info) continue;
        usage.bytes += info.blocks !== null ? info.blocks * 512 : info.size;
        if (info.isDirectory) pending.push(child);
      }
    } catch {
      // Vanished or unreadable while being listed: measure what is left.
    }
  }
  return usage;
}

/** Options of {@linkcode watchDisk}. */
export interface WatchDiskOptions {
  quotaBytes: number;
  /** @default {20_000} */
  maxEntries?: number;
  /** How often the dir is measured. @default {200} */
  intervalMs?: number;
  /** Ends the watch; the promise then resolves with undefined. */
  signal: AbortSignal;
}

/** The default cap on the number of entries in a work dir. */
export const DEFAULT_MAX_ENTRIES = 20_000;

/**
 * Measures `dir` every `intervalMs` until it holds more than `quotaBytes` or `maxEntries` entries, and
 * resolves with a sentence saying which; resolves with undefined once `signal` aborts.
 */
export async function watchDisk(dir: string, options: WatchDiskOptions): Promise<string | undefined> {
  const { quotaBytes, maxEntries = DEFAULT_MAX_ENTRIES, intervalMs = 200, signal } = options;
  while (!signal.aborted) {
    const usage = await measureDir(dir, maxEntries);
    if (!usage.complete) return `its work dir holds more than ${maxEntries} entries`;
    if (usage.bytes > quotaBytes) {
      return `its work dir passed the disk quota of ${mib(quotaBytes)} (${mib(usage.bytes)} written)`;
    }
    await pause(intervalMs, signal);
  }
  return undefined;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
