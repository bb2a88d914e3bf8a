/**
 * Where factory keeps what it downloads, builds and starts: one cache root per user.
 *
 * @module
 */

/** Reads an environment variable; injected so tests never depend on the real environment. */
export type EnvReader = (name: string) => string | undefined;

/** The pinned node-llama-cpp release whose bundled llama.cpp source we build. */
export const NODE_LLAMA_CPP_VERSION = "3.22.1";

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

/** Paths of one llama.cpp build in the cache, keyed by the node-llama-cpp version it came from. */
export interface LlamaPaths {
  /** `<root>/llama.cpp/<version>` */
  dir: string;
  /** The git clone of `llama/gitRelease.bundle`. */
  src: string;
  /** `src/build`, the cmake build directory. */
  build: string;
  /** `src/build/bin/llama-server` */
  binary: string;
  /** The build's combined output. */
  log: string;
  /** Written only after a successful build; a binary without it is never used. */
  info: string;
}

/** The cache layout of a llama.cpp build. */
export function llamaPaths(root: string, version: string = NODE_LLAMA_CPP_VERSION): LlamaPaths {
  const dir = join(root, "llama.cpp", version);
  const src = join(dir, "src");
  const build = join(src, "build");
  const exe = Deno.build.os === "windows" ? "llama-server.exe" : "llama-server";
  return {
    dir,
    src,
    build,
    binary: join(build, "bin", exe),
    log: join(dir, "build.log"),
    info: join(dir, "build-info.json"),
  };
}

/** Where generated and downloaded models are cached. */
export function modelsDir(root: string): string {
  return join(root, "models");
}

/** Where state files and logs of started servers live. */
export function serverStateDir(root: string): string {
  return join(root, "server");
}

/** Joins path segments with `/`, dropping duplicate separators. */
export function join(...parts: string[]): string {
  return parts.filter((p) => p !== "").join("/").replace(/\/{2,}/g, "/");
}

/** The last path segment. */
export function basename(path: string): string {
  return path.replace(/\/+$/, "").split("/").at(-1) ?? path;
}

/** Everything before the last path segment. */
export function dirname(path: string): string {
  const i = path.replace(/\/+$/, "").lastIndexOf("/");
  return i <= 0 ? (i === 0 ? "/" : ".") : path.slice(0, i);
}
