/**
 * Finding programs: on a PATH (injected as a {@linkcode Which} so tests control what is installed), and
 * in the system dirs only, for programs that must also exist inside the sandbox.
 *
 * @module
 */
import { join } from "node:path";
import { type EnvReader, realEnv } from "./cache_paths.ts";

/** Finds a program on PATH; undefined when absent. Injected so tests control what is "installed". */
export type Which = (program: string) => Promise<string | undefined>;

const SYSTEM_DIRS = ["/usr/bin", "/bin", "/usr/sbin", "/sbin"];

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

function pathDirs(env: EnvReader): string[] {
  const separator = Deno.build.os === "windows" ? ";" : ":";
  return (env("PATH") ?? "").split(separator).filter((dir) => dir !== "");
}

async function firstExecutable(program: string, dirs: string[]): Promise<string | undefined> {
  const suffixes = Deno.build.os === "windows" ? [".exe", ".cmd", ""] : [""];
  for (const dir of dirs) {
    for (const suffix of suffixes) {
      const candidate = join(dir, program + suffix);
      if (await isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** A Which that searches the PATH of `env`. */
export function whichIn(env: EnvReader = realEnv): Which {
  return async (program) => {
    if (program.includes("/")) return (await isExecutable(program)) ? program : undefined;
    return await firstExecutable(program, pathDirs(env));
  };
}

/** The real Which, on the process's PATH. */
export const which: Which = whichIn();

const lookups = new Map<string, Promise<string | null>>();

/**
 * The path of the executable `name`, null when it is not installed, looked up once per process.
 * Programs that run inside the sandbox (`sh`, `prlimit`, `setpriv`) are looked up in the system dirs
 * only, which the sandbox shows; with `path`, PATH comes first (for `bwrap` itself, which runs outside).
 */
export function findTool(name: string, options: { path?: boolean } = {}): Promise<string | null> {
  const key = `${options.path ? "path:" : ""}${name}`;
  let lookup = lookups.get(key);
  if (!lookup) {
    const dirs = options.path
      ? [...pathDirs(realEnv).filter((d) => d.startsWith("/")), ...SYSTEM_DIRS]
      : SYSTEM_DIRS;
    lookup = firstExecutable(name, dirs).then((found) => found ?? null);
    lookups.set(key, lookup);
  }
  return lookup;
}
