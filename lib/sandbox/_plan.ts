/**
 * How one program is started in its sandbox: the interpreter's launch plan, what the sandbox must make
 * readable for it, and the sandbox around it. Private to the sandbox folder.
 *
 * @module
 */

import type { Language } from "../types.ts";
import type { Launch } from "./_launch.ts";
import { contain, type Contained } from "./contain.ts";
import { denoLaunch } from "./deno_permissions.ts";
import type { ExecOptions } from "./execute.ts";
import { pythonLaunch, pythonRoots, resolvePython } from "./python.ts";
import { DEFAULT_MAX_PROCESSES } from "./rlimits.ts";
import type { SandboxChoice } from "./sandbox_mode.ts";

/** A file to run: the program itself, or the wrapper of a `test` check. */
export interface RunFile {
  language: Language;
  /** The work dir, a real path. */
  dir: string;
  fileName: string;
  /**
   * Set for a `test` check's run: Python in isolated mode (`-I`) with `home` as HOME (an empty dir, made
   * readable inside), and nothing taken back from the work dir.
   */
  check?: { home: string };
}

/** A program ready to run: contained, with what to clean up afterwards. */
export type Ready = { kind: "ready"; contained: Contained; cleanup: () => Promise<void> };
/** A program ready to run, or why it cannot be. */
export type Plan = Ready | { kind: "refused"; reason: string };
type Usable = Exclude<SandboxChoice, { kind: "refused" }>;

/**
 * Why a TypeScript program cannot run without an OS sandbox: Deno's permissions do not cover module
 * loading, so `--allow-read=<work dir>` would not stop a static or dynamic import of any file.
 */
export const TYPESCRIPT_NEEDS_SANDBOX = "TypeScript programs need an OS sandbox: Deno's permissions do not " +
  "cover module loading, so an import could read any file (use sandbox: auto or require on a machine " +
  "with bubblewrap or sandbox-exec; see SECURITY.md)";

/** Plans the run of `file` under `choice`; `refused` when it cannot run. */
export async function planRun(file: RunFile, options: ExecOptions, choice: Usable): Promise<Plan> {
  const { language, dir, fileName } = file;
  const checkRun = file.check ? { keepWorkDir: false } : {};
  switch (language) {
    case "python": {
      const python = await resolvePython(options.pythonPath);
      if (python.kind === "missing") return { kind: "refused", reason: python.reason };
      const roots = choice.kind === "isolated" ? await pythonRoots(python.path) : [];
      const readOnly = file.check && choice.kind === "isolated" ? [...roots, file.check.home] : roots;
      const launch = pythonLaunch(python.path, dir, fileName, file.check ? { isolated: file.check } : {});
      return await ready(
        launch,
        { language, options, choice, readOnly, ...checkRun },
        () => Promise.resolve(),
      );
    }
    case "typescript":
      if (choice.kind === "unsandboxed") return { kind: "refused", reason: TYPESCRIPT_NEEDS_SANDBOX };
      return await planDeno(dir, fileName, options, { choice, ...checkRun });
    default: {
      const unknown: never = language;
      throw new TypeError(`Unknown language: ${unknown}`);
    }
  }
}

/** Where a TypeScript program's DENO_DIR is inside bubblewrap: its private /tmp, gone after the run. */
const SANDBOXED_DENO_DIR = "/tmp/deno-dir";

async function planDeno(
  dir: string,
  fileName: string,
  options: ExecOptions,
  how: { choice: Usable; keepWorkDir?: boolean },
): Promise<Plan> {
  const { choice } = how;
  const given = options.denoPath ?? Deno.execPath();
  let denoPath: string;
  try {
    denoPath = choice.kind === "isolated" ? await Deno.realPath(given) : (await Deno.stat(given), given);
  } catch {
    return { kind: "refused", reason: `Cannot run TypeScript programs: ${given} was not found` };
  }
  const inBwrap = choice.kind === "isolated" && choice.isolation.kind === "bwrap";
  // Otherwise a fresh cache per run, outside the work dir: the program cannot reach it, nothing global is written.
  const denoDir = inBwrap ? SANDBOXED_DENO_DIR : await Deno.makeTempDir({ prefix: "factory-deno-dir-" });
  const cleanup = () =>
    inBwrap ? Promise.resolve() : Deno.remove(denoDir, { recursive: true }).catch(() => {});
  try {
    const launch = denoLaunch(denoPath, dir, fileName, { heapMb: options.heapMb, denoDir });
    const context = { language: "typescript" as const, options, readOnly: [denoPath], ...how };
    return await ready(launch, { ...context, writable: inBwrap ? [] : [denoDir] }, cleanup);
  } catch (error) {
    await cleanup();
    return { kind: "refused", reason: (error as Error).message };
  }
}

/** Puts `launch` in its sandbox; a work dir or interpreter the sandbox must not use is `refused`. */
async function ready(
  launch: Launch,
  context: {
    language: Language;
    options: ExecOptions;
    choice: Usable;
    readOnly: string[];
    writable?: string[];
    keepWorkDir?: boolean;
  },
  cleanup: () => Promise<void>,
): Promise<Plan> {
  const { language, options, choice, readOnly, writable, keepWorkDir } = context;
  try {
    const contained = await contain(launch, {
      choice,
      language,
      timeoutMs: options.timeoutMs,
      readOnly,
      writable,
      memoryMb: options.memoryMb,
      diskQuotaMb: options.diskQuotaMb,
      maxEntries: options.maxEntries,
      maxProcesses: options.maxProcesses ?? DEFAULT_MAX_PROCESSES,
      keepWorkDir,
    });
    return { kind: "ready", contained, cleanup };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    await cleanup();
    return { kind: "refused", reason: error.message };
  }
}
