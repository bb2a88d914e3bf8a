/**
 * Finding programs on PATH. Private to lib/server.
 *
 * @module
 */

import { type EnvReader, join, realEnv } from "./paths.ts";

/** Finds a program on PATH; undefined when absent. Injected so tests control what is "installed". */
export type Which = (program: string) => Promise<string | undefined>;

/** Whether a path is an existing executable file. */
export async function isExecutable(path: string): Promise<boolean> {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) return false;
    if (Deno.build.os === "windows") return true;
    return info.mode === null || (info.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** A Which that searches the PATH of `env`. */
export function whichIn(env: EnvReader = realEnv): Which {
  return async (program) => {
    if (program.includes("/")) return (await isExecutable(program)) ? program : undefined;
    const separator = Deno.build.os === "windows" ? ";" : ":";
    const suffixes = Deno.build.os === "windows" ? [".exe", ".cmd", ""] : [""];
    for (const dir of (env("PATH") ?? "").split(separator)) {
      if (dir === "") continue;
      for (const suffix of suffixes) {
        const candidate = join(dir, program + suffix);
        if (await isExecutable(candidate)) return candidate;
      }
    }
    return undefined;
  };
}

/** The real Which, on the process's PATH. */
export const which: Which = whichIn();
