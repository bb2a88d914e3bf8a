/**
 * The bubblewrap (`bwrap`) command line of a sandboxed run on Linux: read-only system dirs, a private
 * `/tmp`, no home, no network, the work dir as the only writable place. Pure, apart from
 * {@linkcode systemLayout}, which looks at the host once.
 *
 * @module
 */

import { dirname } from "node:path";

/** How the program's user is kept apart from ours. */
export type SandboxUser =
  /**
   * We are root: the program runs as a fresh unprivileged uid, switched to by `setpriv` inside the
   * sandbox, so RLIMIT_NPROC counts only its processes and it cannot signal or read any of ours. Its
   * `/proc` is mounted (by `mount`, before the switch) with `hidepid=2`: it sees its own processes only.
   */
  | { kind: "switch"; uid: number; gid: number; setpriv: string; mount: string }
  /** We are not root: a user and a pid namespace, so it cannot see or signal our processes. */
  | { kind: "namespace" };

/** What the host's root looks like: which top-level dirs are symlinks (merged /usr) and which `/etc` files exist. */
export interface SystemLayout {
  /** Top-level dirs bound read-only (`/usr`, and `/bin`, `/lib`, … where they are real dirs). */
  dirs: string[];
  /** Top-level symlinks recreated inside: `[path, target]`, e.g. `["/bin", "usr/bin"]`. */
  links: [string, string][];
  /** The `/etc` entries from {@linkcode ETC_ENTRIES} that exist here. */
  etc: string[];
  /** The keyring listings in `/proc` that exist here (`/proc/keys`, `/proc/key-users`): hidden inside. */
  keyFiles?: string[];
}

/** The only `/etc` entries a program sees: the dynamic linker's cache, time zone, alternatives, certificates. */
export const ETC_ENTRIES: readonly string[] = [
  "/etc/ld.so.cache",
  "/etc/ld.so.conf",
  "/etc/ld.so.conf.d",
  "/etc/alternatives",
  "/etc/localtime",
  "/etc/timezone",
  "/etc/nsswitch.conf",
  "/etc/mime.types",
  "/etc/ssl",
  "/etc/ca-certificates",
  "/etc/fonts",
];

const TOP_LEVEL = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

/** One sandboxed run. */
export interface BwrapSpec {
  /** The work dir (a real, absolute path): bound read-write at the same path; none for a probe. */
  workDir?: string;
  /** A descriptor bubblewrap reads a seccomp filter from (`--seccomp FD`), opened by the launcher. */
  seccompFd?: number;
  /**
   * As root: a host file holding {@linkcode procFstab}, bound read-only inside at {@linkcode FSTAB_INSIDE};
   * `/proc` and the keyring listings' masks are then mounted by one `mount -a`. Without it only `/proc` is.
   */
  procFstab?: string;
  /** Interpreter prefixes and binaries outside the system dirs, bound read-only at the same paths. */
  readOnly: string[];
  layout: SystemLayout;
  env: Record<string, string>;
  user: SandboxUser;
  /** Size of the private `/tmp` (and, a quarter of it, `/dev/shm`), in bytes. */
  tmpBytes: number;
  /** `/bin/sh`, which prepares the inside (drops PWD, mounts /proc as root) and execs the command. */
  shell: string;
  /** The command run inside, from its executable on. */
  command: string[];
}

/**
 * The `bwrap` arguments of `spec`. Order matters: `--tmpfs /tmp` hides binds made under /tmp before it,
 * so every bind comes after it, and the parents of each bind are made 0755 first (bwrap would make them
 * 0700, unreadable to the sandbox user). Pure.
 */
export function bwrapArgs(spec: BwrapSpec): string[] {
  const args = [...namespaceArgs(spec.user), "--die-with-parent", "--new-session", "--clearenv"];
  if (spec.seccompFd !== undefined) args.push("--seccomp", String(spec.seccompFd));
  for (const [key, value] of Object.entries(spec.env)) args.push("--setenv", key, value);
  for (const dir of spec.layout.dirs) args.push("--ro-bind", dir, dir);
  for (const [path, target] of spec.layout.links) args.push("--symlink", target, path);
  const covered = [...spec.layout.dirs, ...spec.layout.links.map(([path]) => path), "/dev", "/proc"];
  const made = new Set(["/", "/tmp"]);
  const bind = (flag: string, path: string, inside = path) => {
    for (const parent of ancestors(inside)) {
      if (made.has(parent) || covered.some((c) => isWithin(parent, c))) continue;
      made.add(parent);
      args.push("--perms", "0755", "--dir", parent);
    }
    args.push(flag, path, inside);
  };
  for (const entry of spec.layout.etc) bind("--ro-bind", entry);
  args.push(...(spec.user.kind === "namespace" ? ["--proc", "/proc"] : ["--dir", "/proc"]), "--dev", "/dev");
  if (spec.user.kind === "namespace") {
    for (const file of spec.layout.keyFiles ?? []) args.push("--ro-bind", "/dev/null", file);
  }
  args.push("--perms", "1777", "--size", String(Math.floor(spec.tmpBytes / 4)), "--tmpfs", "/dev/shm");
  args.push("--perms", "1777", "--size", String(spec.tmpBytes), "--tmpfs", "/tmp");
  const outermost = spec.readOnly.filter((p) => !spec.readOnly.some((q) => q !== p && isWithin(p, q)));
  for (const path of new Set(outermost)) {
    if (!covered.some((c) => isWithin(path, c))) bind("--ro-bind", path);
  }
  if (spec.workDir !== undefined) {
    bind("--bind", spec.workDir);
    args.push("--chdir", spec.workDir);
  }
  if (spec.user.kind === "switch") {
    args.push("--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SYS_ADMIN");
  }
  if (spec.user.kind === "switch" && spec.procFstab !== undefined) {
    bind("--ro-bind", spec.procFstab, FSTAB_INSIDE);
  }
  const script = insideScript(spec.user, spec.procFstab !== undefined);
  args.push("--", spec.shell, "-c", script, "sh", ...userPrefix(spec.user), ...spec.command);
  return args;
}

/** The `/proc` files listing the kernel keyrings the reader can view: hidden behind `/dev/null`. */
const KEY_FILES = ["/proc/keys", "/proc/key-users"];

/** Where the fstab of {@linkcode procFstab} is inside the sandbox: in `/proc`, which its first line covers. */
export const FSTAB_INSIDE = "/proc/.factory-fstab";

/**
 * The fstab the shell mounts as root inside, with one `mount -a`: `/proc` showing only the sandbox user's
 * own processes (`hidepid=2`), and `/dev/null` over each keyring listing in `keyFiles`. Pure.
 */
export function procFstab(keyFiles: readonly string[]): string {
  return [
    "proc /proc proc hidepid=2,nosuid,nodev,noexec 0 0",
    ...keyFiles.map((file) => `/dev/null ${file} none bind 0 0`),
    "",
  ].join("\n");
}

/**
 * What the shell does inside before it execs the command: bwrap sets PWD, which is dropped so the
 * environment is exactly the one given; as root it mounts `/proc` (showing only the sandbox user's own
 * processes) and, with the fstab, hides the keyring listings — the capability to mount is gone once
 * `setpriv` switches the user.
 */
function insideScript(user: SandboxUser, fstab: boolean): string {
  const drop = `unset PWD && exec "$@"`;
  if (user.kind === "namespace") return drop;
  if (fstab) return `${user.mount} -a -T ${FSTAB_INSIDE} && ${drop}`;
  return `${user.mount} -t proc -o hidepid=2,nosuid,nodev,noexec proc /proc && ${drop}`;
}

function namespaceArgs(user: SandboxUser): string[] {
  const shared = ["--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"];
  const own = user.kind === "namespace" ? ["--unshare-user", "--unshare-pid"] : [];
  return [...own, ...shared, "--hostname", "sandbox"];
}

/** `setpriv` dropping to the sandbox user for good: no groups, no capabilities, no new privileges. */
function userPrefix(user: SandboxUser): string[] {
  if (user.kind === "namespace") return [];
  return [
    user.setpriv,
    `--reuid=${user.uid}`,
    `--regid=${user.gid}`,
    "--clear-groups",
    "--inh-caps=-all",
    "--bounding-set=-all",
    "--nnp",
    "--pdeathsig=KILL",
  ];
}

/** The ancestors of an absolute path, outermost first, without `/` and without the path itself. */
function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let dir = dirname(path); dir !== "/" && dir !== "."; dir = dirname(dir)) out.unshift(dir);
  return out;
}

/** True when `path` is `root` or inside it. Pure. */
export function isWithin(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith("/") ? root : `${root}/`);
}

let layoutLookup: Promise<SystemLayout> | undefined;

/** Looks once at the host's top-level dirs and `/etc` entries. */
export function systemLayout(): Promise<SystemLayout> {
  layoutLookup ??= (async () => {
    const layout: SystemLayout = { dirs: [], links: [], etc: [], keyFiles: [] };
    for (const path of TOP_LEVEL) {
      const info = await Deno.lstat(path).catch(() => undefined);
      if (info?.isSymlink) layout.links.push([path, await Deno.readLink(path)]);
      else if (info?.isDirectory) layout.dirs.push(path);
    }
    for (const entry of ETC_ENTRIES) {
      if (await Deno.stat(entry).then(() => true, () => false)) layout.etc.push(entry);
    }
    for (const file of KEY_FILES) {
      if (await Deno.stat(file).then(() => true, () => false)) layout.keyFiles!.push(file);
    }
    return layout;
  })();
  return layoutLookup;
}
