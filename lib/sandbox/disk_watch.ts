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
  /**
   * Entries the walk could not measure by name: a name that is not UTF-8, a path longer than PATH_MAX,
   * an unreadable dir. Their size is unknown, so any of them counts as a breach of the quota.
   */
  unmeasurable: number;
}

/** Measures `dir` without following symbolic links, stopping after `maxEntries` entries. */
export async function measureDir(dir: string, maxEntries: number): Promise<DirUsage> {
  const usage: DirUsage = { bytes: 0, entries: 0, complete: true, unmeasurable: 0 };
  const pending = [dir];
  while (pending.length > 0) {
    const path = pending.pop()!;
    try {
      for await (const entry of Deno.readDir(path)) {
        if (++usage.entries > maxEntries) return { ...usage, complete: false };
        const child = join(path, entry.name);
        const info = await lstatOrWhy(child, entry.name);
        if (info === "vanished") continue;
        if (info === "unmeasurable") {
          usage.unmeasurable++;
          continue;
        }
        usage.bytes += info.blocks !== null ? info.blocks * 512 : info.size;
        if (info.isDirectory) pending.push(child);
      }
    } catch (error) {
      // Vanished while being listed: measure what is left. Anything else cannot be measured.
      if (!(error instanceof Deno.errors.NotFound)) usage.unmeasurable++;
    }
  }
  return usage;
}

/**
 * `lstat` of one entry, or why there is none: `vanished` when it is gone, `unmeasurable` when it cannot
 * be reached by its name (a path past PATH_MAX; a name that is not UTF-8, which Deno lists with U+FFFD).
 */
async function lstatOrWhy(path: string, name: string): Promise<Deno.FileInfo | "vanished" | "unmeasurable"> {
  try {
    return await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound && !name.includes("\uFFFD")) return "vanished";
    return "unmeasurable";
  }
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
 * Measures `dir` every `intervalMs` until it holds more than `quotaBytes` or `maxEntries` entries, or an
 * entry it cannot measure, and resolves with a sentence saying which; resolves with undefined once
 * `signal` aborts. Where the work dir is a capped tmpfs (as root) it is not needed.
 */
export async function watchDisk(dir: string, options: WatchDiskOptions): Promise<string | undefined> {
  const { quotaBytes, maxEntries = DEFAULT_MAX_ENTRIES, intervalMs = 200, signal } = options;
  while (!signal.aborted) {
    const usage = await measureDir(dir, maxEntries);
    if (!usage.complete) return `its work dir holds more than ${maxEntries} entries`;
    if (usage.unmeasurable > 0) {
      return `its work dir holds ${usage.unmeasurable} entries that cannot be measured (a name that is not ` +
        "UTF-8, a path longer than PATH_MAX): a breach of the disk quota";
    }
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
