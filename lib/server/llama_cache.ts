/**
 * Finding a usable llama-server: a configured path, then PATH, then a finished build in the cache.
 * A cached binary counts only when its build wrote `build-info.json`, so a half-finished build is
 * never used.
 *
 * @module
 */

import { z } from "zod";
import { isExecutable, type Which, which as realWhich } from "../host/find_tool.ts";
import { cacheRoot, type EnvReader, realEnv } from "../host/cache_paths.ts";
import { type LlamaPaths, llamaPaths } from "./paths.ts";

/** What a finished build recorded about itself (`build-info.json`). */
export interface LlamaBuildInfo {
  /** The node-llama-cpp version whose llama.cpp tree was built. */
  nodeLlamaCppVersion: string;
  /** The llama.cpp tag from `llama/llama.cpp.info.json`, when known. */
  tag?: string;
  /** The source commit (`git rev-parse HEAD`). */
  commit?: string;
  /** What `llama-server --version` printed, first line. */
  version?: string;
  /** When the build finished (ISO 8601). */
  builtAt: string;
  /** How long the build took, in milliseconds. */
  buildMs: number;
  /** The path of the built llama-server. */
  binary: string;
  /** The configure arguments; absent when an existing configuration was reused (a resumed build). */
  cmakeArgs?: string[];
}

const BuildInfoSchema = z.object({
  nodeLlamaCppVersion: z.string(),
  tag: z.string().optional(),
  commit: z.string().optional(),
  version: z.string().optional(),
  builtAt: z.string(),
  buildMs: z.number(),
  binary: z.string(),
  cmakeArgs: z.array(z.string()).optional(),
}) satisfies z.ZodType<LlamaBuildInfo>;

/** Where a llama-server was found, or why none was. */
export type LlamaLocation =
  | { kind: "found"; path: string; source: "configured" | "path" | "cache"; build?: LlamaBuildInfo }
  /** None usable. `configured` is set when a configured path does not exist: never provision over it. */
  | { kind: "missing"; reason: string; cache: LlamaPaths; configured?: string };

/** Options of {@linkcode findLlamaServer}. */
export interface FindLlamaOptions {
  /** A configured binary path; when set, nothing else is considered. */
  binary?: string;
  /** @default {cacheRoot()} */
  root?: string;
  /** The node-llama-cpp version keying the cache. @default {NODE_LLAMA_CPP_VERSION} */
  version?: string;
  /** Set false to skip the PATH lookup. @default {true} */
  searchPath?: boolean;
  /** @default {which on the real PATH} */
  which?: Which;
  /** @default {the real environment} */
  env?: EnvReader;
}

/** Finds llama-server: configured path > PATH > finished cached build. Never builds. */
export async function findLlamaServer(options: FindLlamaOptions = {}): Promise<LlamaLocation> {
  const cache = llamaPaths(options.root ?? cacheRoot(options.env ?? realEnv), options.version);
  if (options.binary !== undefined) {
    if (await isExecutable(options.binary)) {
      return { kind: "found", path: options.binary, source: "configured" };
    }
    return {
      kind: "missing",
      reason: `${options.binary} is not an executable file`,
      cache,
      configured: options.binary,
    };
  }
  if (options.searchPath !== false) {
    const onPath = await (options.which ?? realWhich)("llama-server");
    if (onPath) return { kind: "found", path: onPath, source: "path" };
  }
  const build = await readBuildInfo(cache);
  if (build && await isExecutable(cache.binary)) {
    return { kind: "found", path: cache.binary, source: "cache", build };
  }
  const reason = await isExecutable(cache.binary)
    ? `the build in ${cache.dir} did not finish`
    : "not on PATH and not built yet";
  return { kind: "missing", reason, cache };
}

/** Reads a build's info file; undefined when absent or invalid. */
export async function readBuildInfo(paths: LlamaPaths): Promise<LlamaBuildInfo | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(paths.info);
  } catch {
    return undefined;
  }
  try {
    const parsed = BuildInfoSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a build's info file atomically (temp file, then rename). */
export async function writeBuildInfo(paths: LlamaPaths, info: LlamaBuildInfo): Promise<void> {
  const temp = `${paths.info}.${Deno.pid}.tmp`;
  await Deno.writeTextFile(temp, JSON.stringify(info, null, 2) + "\n");
  await Deno.rename(temp, paths.info);
}
