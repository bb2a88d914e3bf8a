/**
 * Which OS sandbox runs generated programs: finding what this machine has (bubblewrap on Linux,
 * `sandbox-exec` on macOS), checking it really works, and what the `sandbox` setting makes of it.
 *
 * @module
 */

import { bwrapArgs, type SandboxUser, systemLayout } from "./bwrap.ts";
import { prlimitArgs, rlimitsFor } from "./rlimits.ts";
import { pickSandboxUid } from "./sandbox_user.ts";
import { findTool } from "../host/find_tool.ts";
import type { SandboxMode } from "../types.ts";
import { ownUid } from "../host/process.ts";

/** An OS sandbox this machine has, or why there is none. */
export type Isolation =
  /** bubblewrap; with `switchUser` (we are root) each run also gets its own uid. */
  | {
    kind: "bwrap";
    bwrap: string;
    prlimit: string;
    shell: string;
    switchUser?: { setpriv: string; mount: string };
  }
  | { kind: "sandbox_exec"; path: string }
  | { kind: "none"; reason: string };

/** What the mode makes of the isolation available. */
export type SandboxChoice =
  | { kind: "isolated"; isolation: Exclude<Isolation, { kind: "none" }>; description: string }
  /** No OS sandbox: with `mode: "auto"` a one-line warning for people. */
  | { kind: "unsandboxed"; warning?: string }
  | { kind: "refused"; reason: string };

/** Options of {@linkcode detectIsolation}. */
export interface DetectOptions {
  /** The operating system to detect for (`linux`, `darwin`, ...). @default {Deno.build.os} */
  os?: string;
  /** Finds a helper program. @default the system dirs, then PATH */
  find?: (name: string) => Promise<string | null>;
  /** Our uid; 0 means root. @default {Deno.uid()} */
  uid?: number;
  /** Runs the probe; resolves with its exit code and stderr. */
  run?: (command: string, args: string[]) => Promise<{ code: number; stderr: string }>;
}

let detected: Promise<Isolation> | undefined;

/**
 * Finds the strongest sandbox here and checks that it starts a program: on Linux bubblewrap plus
 * util-linux `prlimit` (and `setpriv` when root), probed with the same namespaces a real run uses; on
 * macOS `sandbox-exec`. The real machine's answer is cached per process; injected options are not.
 */
export function detectIsolation(options?: DetectOptions): Promise<Isolation> {
  if (options) return detect(options);
  detected ??= detect({});
  return detected;
}

async function detect(options: DetectOptions): Promise<Isolation> {
  const { os = Deno.build.os } = options;
  const find = options.find ??
    ((name: string) => findTool(name, { path: name === "bwrap" || name === "sandbox-exec" }));
  if (os === "darwin") {
    const path = await find("sandbox-exec");
    return path ? { kind: "sandbox_exec", path } : { kind: "none", reason: "sandbox-exec was not found" };
  }
  if (os !== "linux") return { kind: "none", reason: `no OS sandbox is known for ${os}` };
  return await detectBwrap(find, options);
}

/** bubblewrap and the util-linux helpers, probed: the isolation, or what is missing or failing. */
async function detectBwrap(
  find: (name: string) => Promise<string | null>,
  options: DetectOptions,
): Promise<Isolation> {
  const [bwrap, prlimit, shell, setpriv, mount, truePath] = await Promise.all(
    ["bwrap", "prlimit", "sh", "setpriv", "mount", "true"].map(find),
  );
  if (!bwrap) return { kind: "none", reason: "bwrap was not found (sudo apt-get install bubblewrap)" };
  const root = (options.uid ?? ownUid()) === 0;
  const needed = { prlimit, sh: shell, true: truePath, ...(root ? { setpriv, mount } : {}) };
  const missing = Object.entries(needed).filter(([, path]) => !path).map(([name]) => name);
  if (missing.length > 0) {
    return {
      kind: "none",
      reason: `${missing.join(", ")} (util-linux, coreutils) not found in /usr/bin or /bin`,
    };
  }
  const isolation: Isolation = {
    kind: "bwrap",
    bwrap,
    prlimit: prlimit!,
    shell: shell!,
    ...(root ? { switchUser: { setpriv: setpriv!, mount: mount! } } : {}),
  };
  const probe = await (options.run ?? runProbe)(bwrap, await probeArgs(isolation, truePath!));
  if (probe.code === 0) return isolation;
  const why = probe.stderr.trim().split("\n")[0] || `exit code ${probe.code}`;
  return { kind: "none", reason: `bwrap cannot create a sandbox here: ${why}` };
}

/** The arguments of a probe run: the real namespaces, user switch, /proc and rlimits, running `true`. */
async function probeArgs(isolation: Extract<Isolation, { kind: "bwrap" }>, truePath: string) {
  const limits = rlimitsFor({ language: "python", timeoutMs: 1000, maxProcesses: 16 });
  return bwrapArgs({
    readOnly: [],
    layout: await systemLayout(),
    env: { PATH: "/usr/bin:/bin" },
    user: await sandboxUser(isolation),
    tmpBytes: 1024 * 1024,
    shell: isolation.shell,
    command: [isolation.prlimit, ...prlimitArgs(limits), truePath],
  });
}

/** The sandbox user of one run: a fresh uid when we are root, namespaces otherwise. */
export async function sandboxUser(isolation: Extract<Isolation, { kind: "bwrap" }>): Promise<SandboxUser> {
  if (!isolation.switchUser) return { kind: "namespace" };
  const uid = await pickSandboxUid();
  return { kind: "switch", uid, gid: uid, ...isolation.switchUser };
}

async function runProbe(command: string, args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    const out = await new Deno.Command(command, { args, stdin: "null", stdout: "null", stderr: "piped" })
      .output();
    return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
  } catch (error) {
    return { code: -1, stderr: (error as Error).message };
  }
}

/** Options of {@linkcode resolveSandbox}. */
export interface ResolveSandboxOptions {
  /** Finds this machine's OS sandbox (injectable for tests). @default {detectIsolation} */
  detect?: () => Promise<Isolation>;
}

/** What `mode` makes of this machine's sandbox: use it, go without (warning under `auto`), or refuse. */
export async function resolveSandbox(
  mode: SandboxMode,
  options: ResolveSandboxOptions = {},
): Promise<SandboxChoice> {
  if (mode === "off") return { kind: "unsandboxed" };
  const isolation = await (options.detect ?? detectIsolation)();
  if (isolation.kind !== "none") return { kind: "isolated", isolation, description: describe(isolation) };
  if (mode === "require") {
    return { kind: "refused", reason: `No OS sandbox, and sandbox is "require": ${isolation.reason}` };
  }
  return {
    kind: "unsandboxed",
    warning: `No OS sandbox: ${isolation.reason}; programs run with rlimits and a scrubbed environment ` +
      `only (set sandbox: require to refuse, see SECURITY.md)`,
  };
}

/** One line on what a sandbox isolates. Pure. */
export function describe(isolation: Exclude<Isolation, { kind: "none" }>): string {
  if (isolation.kind === "sandbox_exec") {
    return "sandbox-exec: no network, read-only system, the work dir is the only writable place";
  }
  const who = isolation.switchUser
    ? "a capped tmpfs as root), a fresh uid per run"
    : "measured), user and pid namespaces";
  return `bubblewrap: no network, read-only system, private /tmp, no home, the work dir is the only ` +
    `writable place (${who}, no keyring (seccomp), rlimits`;
}
