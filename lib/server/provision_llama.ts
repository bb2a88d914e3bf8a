/**
 * Building llama-server from the llama.cpp tree that node-llama-cpp ships, into the cache, once:
 * cmake configure, `cmake --build --target llama-server`, output to `build.log`, progress from
 * cmake's `[ 40%]` lines. A build writes `build-info.json` last, so only a finished build is used;
 * an unfinished one is resumed (cmake rebuilds only what is missing).
 *
 * @module
 */

import { ConfigError, ServerError } from "../errors.ts";
import { type RunCommand, runCommand, type RunLogged, runLogged } from "../host/command.ts";
import type { Which } from "../host/find_tool.ts";
import { buildProgressTracker } from "./cmake_progress.ts";
import { findLlamaServer, type LlamaBuildInfo, type LlamaLocation, writeBuildInfo } from "./llama_cache.ts";
import { ensureLlamaSource, exists, type SourceOptions, withProvisionLock } from "./llama_source.ts";
import { cacheRoot, realEnv } from "../host/cache_paths.ts";
import { join } from "node:path";
import { type LlamaPaths, llamaPaths, NODE_LLAMA_CPP_VERSION } from "./paths.ts";

export type { ProvisionProgress, ProvisionStage } from "./llama_source.ts";

/** Options of {@linkcode provisionLlamaServer}. */
export interface ProvisionOptions extends SourceOptions {
  /** Parallel compile jobs. @default {navigator.hardwareConcurrency} */
  jobs?: number;
  /** Runs cmake, its output going to the build log (for tests). @default {the real runLogged} */
  runLogged?: RunLogged;
  /** Whether to build for CUDA. @default {nvcc on PATH and `nvidia-smi -L` lists a GPU} */
  detectCuda?: () => Promise<boolean>;
  /** The clock stamping the log and `builtAt`. @default {() => new Date()} */
  now?: () => Date;
}

/** The cmake configure arguments: a CPU release build of the server only; CUDA when `cuda` is set. */
export function cmakeConfigureArgs(paths: LlamaPaths, gpu: { cuda: boolean }): string[] {
  return [
    "-S",
    paths.src,
    "-B",
    paths.build,
    "-DCMAKE_BUILD_TYPE=Release",
    "-DLLAMA_CURL=OFF",
    "-DLLAMA_BUILD_TESTS=OFF",
    "-DLLAMA_BUILD_EXAMPLES=OFF",
    "-DLLAMA_BUILD_SERVER=ON",
    // Metal is on by default on Apple Silicon; CUDA must be asked for.
    ...(gpu.cuda ? ["-DGGML_CUDA=ON"] : []),
  ];
}

/**
 * Fetches the source (when absent), configures (when not configured yet) and builds llama-server.
 * Throws ServerError naming `build.log` when a step fails; an abort kills the build's process group.
 */
export async function provisionLlamaServer(options: ProvisionOptions = {}): Promise<LlamaBuildInfo> {
  const root = options.root ?? cacheRoot(options.env ?? realEnv);
  return await withProvisionLock(llamaPaths(root, options.version), async () => {
    const started = Date.now();
    const source = await ensureLlamaSource({ ...options, root });
    const paths = source.paths;
    const log = await Deno.open(paths.log, { create: true, append: true });
    let cmakeArgs: string[] | undefined;
    try {
      const stamp = (options.now ?? (() => new Date()))().toISOString();
      await log.write(new TextEncoder().encode(`\n== factory: building llama-server, ${stamp}\n`));
      if (!await exists(join(paths.build, "CMakeCache.txt"))) {
        const cuda = await (options.detectCuda ?? (() => cudaAvailable(options.run ?? runCommand)))();
        cmakeArgs = cmakeConfigureArgs(paths, { cuda });
        await configure(paths, cmakeArgs, log, options);
      }
      await build(paths, log, options);
    } finally {
      log.close();
    }
    const info: LlamaBuildInfo = {
      nodeLlamaCppVersion: paths.dir.split("/").at(-1) ?? NODE_LLAMA_CPP_VERSION,
      tag: source.tag,
      commit: await gitCommit(paths, options.run ?? runCommand),
      version: await serverVersion(paths.binary, options.run ?? runCommand),
      builtAt: (options.now ?? (() => new Date()))().toISOString(),
      buildMs: Date.now() - started,
      binary: paths.binary,
      cmakeArgs,
    };
    await writeBuildInfo(paths, info);
    options.onProgress?.({ stage: "done", percent: 100, message: `built ${paths.binary}` });
    return info;
  });
}

async function configure(paths: LlamaPaths, args: string[], log: Deno.FsFile, options: ProvisionOptions) {
  options.onProgress?.({ stage: "configure", message: `cmake ${args.join(" ")}` });
  const code = await (options.runLogged ?? runLogged)("cmake", args, { log, signal: options.signal });
  if (code !== 0) {
    throw new ServerError(
      `Cannot build llama-server: cmake configure failed with exit code ${code}; see ${paths.log}`,
    );
  }
}

async function build(paths: LlamaPaths, log: Deno.FsFile, options: ProvisionOptions) {
  const jobs = options.jobs ?? navigator.hardwareConcurrency ?? 2;
  const args = ["--build", paths.build, "--config", "Release", "--target", "llama-server", `-j${jobs}`];
  options.onProgress?.({ stage: "build", percent: 0, message: `cmake ${args.join(" ")}` });
  const track = buildProgressTracker();
  const onLine = (line: string) => {
    const step = track(line);
    if (step) options.onProgress?.({ stage: "build", percent: step.percent, message: step.message });
  };
  const code = await (options.runLogged ?? runLogged)("cmake", args, { log, onLine, signal: options.signal });
  if (code !== 0) {
    throw new ServerError(
      `Cannot build llama-server: the build failed with exit code ${code}; see ${paths.log}`,
    );
  }
  if (!await exists(paths.binary)) {
    throw new ServerError(
      `Cannot build llama-server: the build produced no ${paths.binary}; see ${paths.log}`,
    );
  }
}

/** Whether a CUDA build makes sense here: nvcc to compile and a GPU (`nvidia-smi -L`) to run on. */
export async function cudaAvailable(run: RunCommand = runCommand): Promise<boolean> {
  const nvcc = await run("nvcc", ["--version"]);
  if (nvcc.kind !== "exited" || nvcc.code !== 0) return false;
  const gpus = await run("nvidia-smi", ["-L"]);
  return gpus.kind === "exited" && gpus.code === 0 && gpus.stdout.includes("GPU");
}

async function gitCommit(paths: LlamaPaths, run: RunCommand): Promise<string | undefined> {
  const result = await run("git", ["-C", paths.src, "rev-parse", "HEAD"]);
  return result.kind === "exited" && result.code === 0 ? result.stdout.trim() : undefined;
}

/** The `version:` line `llama-server --version` prints (it prints to stderr), when it runs. */
export async function serverVersion(
  binary: string,
  run: RunCommand = runCommand,
): Promise<string | undefined> {
  const result = await run(binary, ["--version"]);
  if (result.kind !== "exited" || result.code !== 0) return undefined;
  const line = `${result.stdout}\n${result.stderr}`.split("\n").find((l) => l.startsWith("version:"));
  return line?.slice("version:".length).trim();
}

/** Options of {@linkcode ensureLlamaServer}. */
export interface EnsureLlamaOptions extends ProvisionOptions {
  /** A configured llama-server path: used as is, never provisioned over. */
  binary?: string;
  /** Set false to skip the PATH lookup. @default {true} */
  searchPath?: boolean;
  /** Finds llama-server on PATH (injectable for tests). @default {which on the real PATH} */
  which?: Which;
}

/** Finds llama-server (configured path > PATH > cache) or provisions it; returns its path. */
export async function ensureLlamaServer(options: EnsureLlamaOptions = {}): Promise<string> {
  const found = await findLlamaServer(options);
  if (found.kind === "found") return found.path;
  if (found.configured !== undefined) {
    throw new ConfigError(`Cannot use llama-server: ${found.reason}`);
  }
  return (await provisionLlamaServer(options)).binary;
}

/** What `factory engine info` shows. */
export type LlamaInfo =
  | Extract<LlamaLocation, { kind: "missing" }>
  | (Extract<LlamaLocation, { kind: "found" }> & { version?: string });

/** Where llama-server is, which version it is and when it was built; or why there is none. */
export async function llamaInfo(options: EnsureLlamaOptions = {}): Promise<LlamaInfo> {
  const found = await findLlamaServer(options);
  if (found.kind === "missing") return found;
  return { ...found, version: found.build?.version ?? await serverVersion(found.path, options.run) };
}
