/**
 * The three mounts of a run's work dir as root (a private bind, a tmpfs, unmounting both), private to the
 * sandbox folder. Through libc's `mount(2)`/`umount2(2)` by FFI when Deno may use it (a fraction of a
 * millisecond each), through util-linux `mount`/`umount` otherwise (a process each).
 *
 * @module
 */

import { findTool } from "../host/find_tool.ts";

/** What a run's work dir needs mounted and unmounted. */
export interface Mounter {
  /** Binds `source` at `target`, private (no mount propagates between them). */
  bindPrivate(source: string, target: string): Promise<void>;
  /** Mounts a tmpfs named `name` at `target` with `options` (`size=…,nr_inodes=…,…`), nosuid, nodev. */
  tmpfs(name: string, target: string, options: string): Promise<void>;
  /** Unmounts each of `targets` in order, lazily when one is busy; never throws. */
  unmount(targets: string[]): Promise<void>;
}

const MS_NOSUID = 2n;
const MS_NODEV = 4n;
const MS_BIND = 4096n;
const MS_PRIVATE = 262144n;
const MNT_DETACH = 2;

let chosen: Promise<Mounter> | undefined;

/** The mounter of this process: FFI when allowed and libc is there, the util-linux tools otherwise. */
export function mounter(): Promise<Mounter> {
  chosen ??= (async () => ffiMounter() ?? await toolMounter())();
  return chosen;
}

const LIBC = {
  mount: { parameters: ["buffer", "buffer", "buffer", "u64", "buffer"], result: "i32" },
  umount2: { parameters: ["buffer", "i32"], result: "i32" },
  __errno_location: { parameters: [], result: "pointer" },
} as const;

/**
 * The FFI mounter; undefined without the `ffi` permission or libc. libc is opened for each call and closed
 * again (it is loaded already, so this is cheap), so no library stays open between runs.
 */
export function ffiMounter(): Mounter | undefined {
  const open = () => Deno.dlopen("libc.so.6", LIBC);
  try {
    if (Deno.build.os !== "linux" || Deno.permissions.querySync({ name: "ffi" }).state !== "granted") {
      return undefined;
    }
    open().close();
  } catch {
    return undefined;
  }
  const text = (s: string | null) => s === null ? null : new TextEncoder().encode(`${s}\0`);
  const withLibc = (use: (libc: Deno.DynamicLibrary<typeof LIBC>["symbols"]) => void) => {
    const libc = open();
    try {
      use(libc.symbols);
    } finally {
      libc.close();
    }
    return Promise.resolve();
  };
  const mount = (
    libc: Deno.DynamicLibrary<typeof LIBC>["symbols"],
    what: string,
    args: [string | null, string, string | null, bigint, string | null],
  ) => {
    const [source, target, fstype, flags, data] = args;
    if (libc.mount(text(source), text(target)!, text(fstype), flags, text(data)) === 0) return;
    const errno = new Deno.UnsafePointerView(libc.__errno_location()!).getInt32();
    throw new Error(`Cannot ${what}: errno ${errno}`);
  };
  return {
    bindPrivate: (source, target) =>
      withLibc((libc) => {
        mount(libc, `bind ${source} at ${target}`, [source, target, null, MS_BIND, null]);
        mount(libc, `make ${target} private`, [null, target, null, MS_PRIVATE, null]);
      }),
    tmpfs: (name, target, options) =>
      withLibc((libc) =>
        mount(libc, `mount a tmpfs at ${target}`, [name, target, "tmpfs", MS_NOSUID | MS_NODEV, options])
      ),
    unmount: (targets) =>
      withLibc((libc) => {
        for (const target of targets) {
          if (libc.umount2(text(target)!, 0) !== 0) libc.umount2(text(target)!, MNT_DETACH);
        }
      }),
  };
}

/** The mounter running util-linux `mount` and `umount`. */
export async function toolMounter(): Promise<Mounter> {
  const [mount, umount] = await Promise.all([findTool("mount"), findTool("umount")]);
  const need = (tool: string | null) => {
    if (!tool) throw new Error("Cannot make the work dir's tmpfs: mount (util-linux) was not found");
    return tool;
  };
  return {
    bindPrivate: (source, target) => run(need(mount), ["--bind", "--make-private", source, target]),
    tmpfs: (name, target, options) =>
      run(need(mount), ["-t", "tmpfs", "-o", `${options},nosuid,nodev`, name, target]),
    async unmount(targets) {
      if (!umount || targets.length === 0) return;
      await run(umount, targets).catch(async () => {
        for (const target of targets) await run(umount, ["-l", target]).catch(() => {});
      });
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
