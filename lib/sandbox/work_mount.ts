/**
 * The work dir of a run as root: a fresh tmpfs capped in bytes and in entries, owned by the run's uid,
 * mounted over the work dir for the time of the run (so what the program writes shows there while it
 * runs). The real dir under it is never handed to the program, so it is never taken back either: a
 * private bind of it, made before the tmpfs covers it, receives a copy of what the program left once
 * every process of the run is dead (see `copy_tree.ts`: no link followed anywhere); then the tmpfs is
 * unmounted, whatever it still holds. The cap is real: a write past it fails with ENOSPC. The tmpfs is
 * named `factory-<pid namespace>-<our pid>`, so what a factory killed with SIGKILL left mounted can be found (see
 * `stale_runs.ts`).
 *
 * @module
 */

import { join } from "node:path";
import { type CopyReport, copyTree } from "./copy_tree.ts";
import { mounter } from "./_mounts.ts";
import { ownerTag } from "./run_group.ts";

/** A run's tmpfs work dir. */
export interface WorkMount {
  /** True between a successful `mount` and `remove`. */
  readonly mounted: boolean;
  /** Binds the real dir aside, mounts the tmpfs over it and copies the dir's contents in, given to the run's uid. */
  mount(): Promise<void>;
  /** Replaces the real dir's contents with what the program left. Only once every process of the run is dead. */
  copyOut(): Promise<CopyReport>;
  /** Unmounts the tmpfs and the bind; never throws. */
  remove(): Promise<void>;
}

/** What a work mount needs. */
export interface WorkMountOptions {
  /** The real work dir, a real path. */
  workDir: string;
  uid: number;
  gid: number;
  /** The cap in bytes. */
  sizeBytes: number;
  /** The cap in entries (files, dirs, links), the root dir left out. */
  maxEntries: number;
}

let base: Promise<string> | undefined;

/** The root-only dir holding the binds of this process's work dirs. */
function mountBase(): Promise<string> {
  base ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: `factory-mounts-${ownerTag()}-` });
    await Deno.chmod(dir, 0o700);
    return dir;
  })();
  return base;
}

/** The tmpfs mount options (`nosuid` and `nodev` are flags of the mount itself). Pure. */
export function tmpfsOptions(options: Omit<WorkMountOptions, "workDir">): string {
  const size = Math.max(4096, Math.ceil(options.sizeBytes / 4096) * 4096);
  return [
    `size=${size}`,
    `nr_inodes=${options.maxEntries + 1}`,
    "mode=0700",
    `uid=${options.uid}`,
    `gid=${options.gid}`,
  ].join(",");
}

/** A work mount for one run (nothing is mounted until `mount`). */
export function workMount(options: WorkMountOptions): WorkMount {
  const { workDir } = options;
  let under: string | undefined;
  let covered = false;
  return {
    get mounted() {
      return covered;
    },
    async mount() {
      const [mounts, dir] = await Promise.all([mounter(), mountBase()]);
      under = join(dir, crypto.randomUUID());
      await Deno.mkdir(under, { mode: 0o700 });
      await mounts.bindPrivate(workDir, under);
      await mounts.tmpfs(`factory-${ownerTag()}`, workDir, tmpfsOptions(options));
      covered = true;
      const copied = await copyTree(under, workDir, { owner: { uid: options.uid, gid: options.gid } });
      if (copied.unreachable + copied.changed + copied.special > 0) {
        throw new Error(
          `Cannot copy the work dir ${workDir} into its tmpfs: it holds entries it cannot take`,
        );
      }
    },
    async copyOut() {
      if (!under || !covered) throw new Error("Cannot copy the work dir out: it is not mounted");
      for await (const entry of Deno.readDir(under)) {
        await Deno.remove(join(under, entry.name), { recursive: true });
      }
      return await copyTree(workDir, under);
    },
    async remove() {
      const targets = [...covered ? [workDir] : [], ...under ? [under] : []];
      await (await mounter()).unmount(targets);
      covered = false;
      if (under) await Deno.remove(under).catch(() => {});
      under = undefined;
    },
  };
}
