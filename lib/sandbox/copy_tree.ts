/**
 * Copying a tree a program has had its hands on without ever following a symbolic link, as root.
 *
 * Every entry is looked at with `lstat` first; a regular file is then opened and checked to be the very
 * file looked at (same device and inode), so a file swapped for a link, or a dir swapped for a link on
 * the way to it, is never read; and every entry must be on the source tree's own device, so nothing
 * outside it (a host file behind a link, another mount) is ever copied. Links are recreated as links;
 * fifos, sockets and devices are left out. Entries that cannot be reached by name (a name that is not
 * UTF-8, a path longer than PATH_MAX) are left out and counted: the caller treats them as a breach.
 *
 * Writes go into a destination only factory can reach, with `createNew`, so nothing there is followed
 * either. Meant for trees no process can change any more (the run's processes are all dead): the checks
 * above make a change that still happens harmless, not invisible.
 *
 * @module
 */

import { join } from "node:path";

/** What a copy did. */
export interface CopyReport {
  /** Entries copied (files, dirs, links). */
  entries: number;
  /** Bytes the source held (allocated blocks), copied or not. */
  bytes: number;
  /** Entries that could not be reached by name (not UTF-8, past PATH_MAX): left out. */
  unreachable: number;
  /** Fifos, sockets and devices: left out. */
  special: number;
  /** Entries on another device, or changed between look and read: left out. */
  changed: number;
}

/** Options of {@linkcode copyTree}. */
export interface CopyTreeOptions {
  /** Gives every copied file and dir to this owner (links stay root's). */
  owner?: { uid: number; gid: number };
  /** Stops copying after this many entries (the rest count as unreachable). @default {Infinity} */
  maxEntries?: number;
}

/** Copies the contents of the dir `from` into the existing dir `to`; see the module doc. Never throws for an entry. */
export async function copyTree(from: string, to: string, options: CopyTreeOptions = {}): Promise<CopyReport> {
  const report: CopyReport = { entries: 0, bytes: 0, unreachable: 0, special: 0, changed: 0 };
  const root = await Deno.lstat(from);
  if (!root.isDirectory) throw new TypeError(`Cannot copy ${from}: it is not a directory`);
  const pending: string[] = [""];
  while (pending.length > 0) {
    const rel = pending.pop()!;
    let names: string[];
    try {
      names = (await Array.fromAsync(Deno.readDir(join(from, rel)))).map((entry) => entry.name);
    } catch {
      report.unreachable++;
      continue;
    }
    for (const name of names) {
      const child = rel === "" ? name : `${rel}/${name}`;
      if (report.entries >= (options.maxEntries ?? Infinity)) {
        report.unreachable++;
        continue;
      }
      const kind = await copyEntry(from, to, child, root.dev, report, options);
      if (kind === "dir") pending.push(child);
    }
  }
  return report;
}

/** Copies the one entry `rel` (a relative path) from `from` to `to`, creating its parent dirs in `to`. */
export async function copyOne(from: string, to: string, rel: string, options: CopyTreeOptions = {}) {
  const report: CopyReport = { entries: 0, bytes: 0, unreachable: 0, special: 0, changed: 0 };
  const root = await Deno.lstat(from);
  const parts = rel.split("/").filter((part) => part !== "" && part !== ".");
  for (let i = 1; i < parts.length; i++) {
    const parent = parts.slice(0, i).join("/");
    const info = await Deno.lstat(join(from, parent)).catch(() => undefined);
    if (!info?.isDirectory || info.dev !== root.dev) return { report, copied: false };
    await Deno.mkdir(join(to, parent)).catch(() => {});
  }
  const kind = await copyEntry(from, to, parts.join("/"), root.dev, report, options);
  if (kind === "dir") {
    const inner = await copyTree(join(from, parts.join("/")), join(to, parts.join("/")), options);
    for (const key of Object.keys(report) as (keyof CopyReport)[]) report[key] += inner[key];
  }
  return { report, copied: kind !== "skipped" };
}

type Copied = "file" | "dir" | "link" | "skipped";

async function copyEntry(
  from: string,
  to: string,
  rel: string,
  dev: number | null,
  report: CopyReport,
  options: CopyTreeOptions,
): Promise<Copied> {
  const source = join(from, rel);
  const target = join(to, rel);
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(source);
  } catch {
    report.unreachable++;
    return "skipped";
  }
  report.bytes += info.blocks !== null ? info.blocks * 512 : info.size;
  if (info.dev !== dev) {
    report.changed++;
    return "skipped";
  }
  try {
    if (info.isSymlink) {
      await Deno.symlink(await Deno.readLink(source), target);
      report.entries++;
      return "link";
    }
    if (info.isDirectory) {
      await Deno.mkdir(target, { mode: 0o700 });
      await finish(target, info, options);
      report.entries++;
      return "dir";
    }
    if (!info.isFile) {
      report.special++;
      return "skipped";
    }
    if (!(await copyFile(source, target, info))) {
      report.changed++;
      return "skipped";
    }
    await finish(target, info, options);
    report.entries++;
    return "file";
  } catch {
    report.unreachable++;
    return "skipped";
  }
}

/** Copies one regular file, reading only the inode `info` describes; false when it is not that file any more. */
async function copyFile(source: string, target: string, info: Deno.FileInfo): Promise<boolean> {
  using input = await Deno.open(source, { read: true });
  const opened = await input.stat();
  if (opened.dev !== info.dev || opened.ino !== info.ino || !opened.isFile) return false;
  using output = await Deno.open(target, { write: true, createNew: true, mode: 0o600 });
  const buffer = new Uint8Array(256 * 1024);
  while (true) {
    const n = await input.read(buffer);
    if (n === null) break;
    let written = 0;
    while (written < n) written += await output.write(buffer.subarray(written, n));
  }
  return true;
}

/** Sets the copy's mode (permission bits only: never set-uid, set-gid or sticky) and owner. */
async function finish(target: string, info: Deno.FileInfo, options: CopyTreeOptions): Promise<void> {
  await Deno.chmod(target, (info.mode ?? 0o600) & 0o777);
  if (options.owner) await Deno.chown(target, options.owner.uid, options.owner.gid);
}
