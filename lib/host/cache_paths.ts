/**
 * Where factory keeps what it downloads, builds and starts: one cache root per user, and the
 * environment reader every layer injects.
 *
 * @module
 */
import { join } from "node:path";

/** Reads an environment variable; injected so tests never depend on the real environment. */
export type EnvReader = (name: string) => string | undefined;

/** Reads the real environment, answering undefined where the permission is missing. */
export function realEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/**
 * The cache root: `$XDG_CACHE_HOME/factory`, else `~/.cache/factory` (`%LOCALAPPDATA%\factory` on
 * Windows). Throws a TypeError when no home directory is known.
 */
export function cacheRoot(env: EnvReader = realEnv): string {
  const xdg = env("XDG_CACHE_HOME");
  if (xdg) return join(xdg, "factory");
  const home = env("HOME");
  if (home) return join(home, ".cache", "factory");
  const local = env("LOCALAPPDATA");
  if (local) return join(local, "factory");
  throw new TypeError("No cache directory: set XDG_CACHE_HOME or HOME");
}
