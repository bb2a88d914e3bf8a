/**
 * How a TypeScript program is started: `deno run` with permissions scoped to its work dir.
 *
 * @module
 */

import type { Launch } from "./_launch.ts";

/** The default V8 heap bound of a TypeScript program, in MiB. */
export const DEFAULT_HEAP_MB = 512;

/** Options for {@linkcode denoRunArgs}. */
export interface DenoRunOptions {
  /** V8's old-space limit in MiB (RLIMIT_AS would stop Deno from starting). @default {DEFAULT_HEAP_MB} */
  heapMb?: number;
}

/**
 * The `deno run` arguments for `dir/fileName`: read and write inside `dir` only; no network, environment,
 * subprocess, FFI or system-information access; never a prompt; no remote or npm imports; no config or lock
 * file picked up from the work dir; a bounded heap. Pure.
 *
 * @throws {RangeError} when `dir` is not absolute or holds a comma (Deno's permission lists split on commas).
 */
export function denoRunArgs(dir: string, fileName: string, options: DenoRunOptions = {}): string[] {
  const { heapMb = DEFAULT_HEAP_MB } = options;
  if (!dir.startsWith("/")) throw new RangeError(`Cannot scope Deno permissions: ${dir} is not absolute`);
  if (dir.includes(",")) throw new RangeError(`Cannot scope Deno permissions: ${dir} holds a comma`);
  if (!Number.isInteger(heapMb) || heapMb < 16) {
    throw new RangeError(
      `Cannot bound the Deno heap: heapMb must be an integer of at least 16, got ${heapMb}`,
    );
  }
  return [
    "run",
    `--allow-read=${dir}`,
    `--allow-write=${dir}`,
    "--no-prompt",
    "--no-remote",
    "--no-npm",
    "--no-config",
    "--no-lock",
    `--v8-flags=--max-old-space-size=${heapMb}`,
    `${dir}/${fileName}`,
  ];
}

/**
 * The environment of a TypeScript program: only Deno's own cache directory (`denoDir`, a fresh per-run
 * directory outside the work dir, so nothing global is written), no update check and no colour codes.
 * The program itself cannot read any of it: it has no `--allow-env`. Pure.
 */
export function denoEnv(denoDir: string): Record<string, string> {
  return { DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };
}

/** The launch plan of `dir/fileName` under the Deno binary `denoPath`. Pure. */
export function denoLaunch(
  denoPath: string,
  dir: string,
  fileName: string,
  options: DenoRunOptions & { denoDir: string },
): Launch {
  return {
    command: denoPath,
    args: denoRunArgs(dir, fileName, options),
    env: denoEnv(options.denoDir),
    cwd: dir,
  };
}
