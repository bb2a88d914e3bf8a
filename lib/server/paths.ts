/**
 * The cache layout of lib/server: llama.cpp builds and the state of started servers.
 *
 * @module
 */
import { join } from "node:path";

/** The pinned node-llama-cpp release whose bundled llama.cpp source we build. */
export const NODE_LLAMA_CPP_VERSION = "3.22.1";

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

/** Where state files and logs of started servers live. */
export function serverStateDir(root: string): string {
  return join(root, "server");
}
