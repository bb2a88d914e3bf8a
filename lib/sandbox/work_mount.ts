/**
 * The work dir of a run as root: a fresh tmpfs capped in bytes and in entries, owned by the run's uid,
 * bound at the work dir's path inside the sandbox. The program never sees the real work dir, so it is
 * never handed to the program and never taken back: after the run, once every process of it is dead,
 * what the program left is copied out of the tmpfs (see `copy_tree.ts`, no link followed anywhere), then
 * the tmpfs is unmounted, whatever it still holds. The cap is real: a write past it fails with ENOSPC.
 *
 * @module
 */

import { join } from "node:path";
import { type CopyReport, copyTree } from "./copy_tree.ts";
import { findTool } from "./_find_tool.ts";

/** A run's tmpfs work dir. */
export interface WorkMount {
  /** Where the tmpfs is mounted on the host (inside a dir only root can enter). */
  path: string;
  /** Mounts the tmpfs and copies the work dir's contents in, given to the run's uid. */
  mount(): Promise<void>;
  /** Copies what the program left into the (emptied) work dir. Only once every process of the run is dead. */
  copyOut(): Promise<CopyReport>;
  /** Unmounts the tmpfs and removes its mount point; never throws. */
  remove(): Promise<void>;
}

/** What a work mount needs. */
export interface WorkMountOptions {
  /** The real work dir: copied in before the run, and out to after it. */
  workDir: string;
  uid: number;
  gid: number;
  /** The cap in bytes. */
  sizeBytes: number;
  /** The cap in entries (files, dirs, links), the root dir left out. */
  maxEntries: number;
}

let base: Promise<string> | undefined;

/** The root-only dir holding the mount points of this process's runs. */
function mountBase(): Promise<string> {
  base ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: `factory-mounts-${Deno.pid}-` });
    await Deno.chmod(dir, 0o700);
    return dir;
  })();
  return base;
}

/** The tmpfs mount options. Pure. */
export function tmpfsOptions(options: Omit<WorkMountOptions, "workDir">): string {
  const size = Math.max(4096, Math.ceil(options.sizeBytes / 4096) * 4096);
  return [
    `size=${size}`,
    `nr_inodes=${options.maxEntries + 1}`,
    "mode=0700",
    `uid=${options.uid}`,
    `gid=${options.gid}`,
    "nosuid",
    "nodev",
  ].join(",");
}

/** A work mount for one run (nothing is mounted until `mount`). */
export async function workMount(options: WorkMountOptions): Promise<WorkMount> {
  const path = join(await mountBase(), crypto.randomUUID());
  let mounted = false;
  return {
    path,
    async mount() {
      const [mount] = await Promise.all([findTool("mount"), Deno.mkdir(path, { mode: 0o700 })]);
      if (!mount) throw new Error("Cannot make the work dir's tmpfs: mount (util-linux) was not found");
      await run(mount, ["-t", "tmpfs", "-o", tmpfsOptions(options), "tmpfs", path]);
      mounted = true;
      const copied = await copyTree(options.workDir, path, { owner: { uid: options.uid, gid: options.gid } });
      if (copied.unreachable + copied.changed + copied.special > 0) {
        throw new Error(
          `Cannot copy the work dir ${options.workDir} into its tmpfs: it holds entries it cannot take`,
        );
      }
    },
    async copyOut() {
      for await (const entry of Deno.readDir(options.workDir)) {
        await Deno.remove(join(options.workDir, entry.name), { recursive: true });
      }
      return await copyTree(path, options.workDir);
    },
    async remove() {
      if (mounted) {
        const umount = await findTool("umount");
        if (umount) {
          await run(umount, [path]).catch(() => run(umount, ["-l", path]).catch(() => {}));
        }
      }
      await Deno.remove(path).catch(() => {});
    },
  };
}

async function run(command: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(command, { args, stdin: "null", stdout: "null", stderr: "piped" })
    .output();
  if (!out.success) {
    const why = new TextDecoder().decode(out.stderr).trim().split("\n")[0];
    throw new Error(`${command} ${args.join(" ")} failed: ${why || `exit code ${out.code}`}`);
  }
}
