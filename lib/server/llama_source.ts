/**
 * Getting the llama.cpp source tree that node-llama-cpp ships: `npm pack` the pinned package, take
 * `llama/gitRelease.bundle` and `llama/llama.cpp.info.json` out of it, and `git clone` the bundle into
 * the cache. The clone is made beside its final place and renamed, so `src` is always complete.
 *
 * @module
 */

import { pidAlive } from "../host/process.ts";
import { ServerError } from "../errors.ts";
import { type CommandResult, type RunCommand, runCommand } from "../host/command.ts";
import { cacheRoot, type EnvReader, realEnv } from "../host/cache_paths.ts";
import { join } from "node:path";
import { type LlamaPaths, llamaPaths } from "./paths.ts";

/** A provisioning stage, in order. */
export type ProvisionStage =
  | "download"
  | "extract"
  | "clone"
  | "configure"
  | "build"
  /** Creating the mlx engine's virtual environment. */
  | "venv"
  /** Installing packages into it. */
  | "install"
  | "model"
  | "done";

/** One progress report of provisioning. */
export interface ProvisionProgress {
  /** The stage being worked on; `done` comes last. */
  stage: ProvisionStage;
  /** 0 to 100, during the build. */
  percent?: number;
  /** What is happening, in words for people (a command line, a cmake step). */
  message: string;
}

/** Options shared by the provisioning functions. */
export interface SourceOptions {
  /** The cache root the llama.cpp tree and build go under. @default {cacheRoot()} */
  root?: string;
  /** The pinned node-llama-cpp version. @default {NODE_LLAMA_CPP_VERSION} */
  version?: string;
  /** Aborting kills the running helper program (npm, tar, git, cmake); the promise then rejects. */
  signal?: AbortSignal;
  /** Receives a report at each stage, and build percentages. */
  onProgress?: (progress: ProvisionProgress) => void;
  /** Runs helper programs (injectable for tests). @default {the real runCommand} */
  run?: RunCommand;
  /** Reads environment variables, such as those locating the cache root. @default {the real environment} */
  env?: EnvReader;
}

/** A llama.cpp source tree in the cache. */
export interface LlamaSource {
  paths: LlamaPaths;
  /** The llama.cpp tag the package recorded, when known. */
  tag?: string;
}

/** Returns the cached source tree, fetching and cloning it first when absent. */
export async function ensureLlamaSource(options: SourceOptions = {}): Promise<LlamaSource> {
  const paths = llamaPaths(options.root ?? cacheRoot(options.env ?? realEnv), options.version);
  if (!await exists(join(paths.src, "CMakeLists.txt"))) await fetchSource(paths, options);
  return { paths, tag: await readTag(paths) };
}

async function fetchSource(paths: LlamaPaths, options: SourceOptions): Promise<void> {
  const run = options.run ?? runCommand;
  const signal = options.signal;
  const version = paths.dir.split("/").at(-1) ?? "";
  await Deno.mkdir(paths.dir, { recursive: true });
  const temp = await Deno.makeTempDir({ dir: paths.dir, prefix: "fetch-" });
  try {
    options.onProgress?.({ stage: "download", message: `npm pack node-llama-cpp@${version}` });
    const pack = await run("npm", ["pack", `node-llama-cpp@${version}`, "--silent"], { cwd: temp, signal });
    const tarball = join(temp, lastLine(expectSuccess(pack, "npm pack")));
    options.onProgress?.({ stage: "extract", message: "extracting llama/gitRelease.bundle" });
    const members = ["package/llama/gitRelease.bundle", "package/llama/llama.cpp.info.json"];
    expectSuccess(await run("tar", ["-xzf", tarball, "-C", temp, ...members], { signal }), "tar");
    options.onProgress?.({ stage: "clone", message: `git clone into ${paths.src}` });
    const partial = join(temp, "src");
    const bundle = join(temp, "package/llama/gitRelease.bundle");
    expectSuccess(await run("git", ["clone", "--quiet", bundle, partial], { signal }), "git clone");
    await Deno.copyFile(
      join(temp, "package/llama/llama.cpp.info.json"),
      join(paths.dir, "llama.cpp.info.json"),
    );
    await Deno.remove(paths.src, { recursive: true }).catch(() => {});
    await Deno.rename(partial, paths.src);
  } finally {
    await Deno.remove(temp, { recursive: true }).catch(() => {});
  }
}

function expectSuccess(result: CommandResult, what: string): string {
  if (result.kind === "not_found") {
    throw new ServerError(`Cannot fetch the llama.cpp source: ${result.command} is not installed`);
  }
  if (result.code !== 0) {
    const detail = lastLine(result.stderr) || `exit code ${result.code}`;
    throw new ServerError(`Cannot fetch the llama.cpp source: ${what} failed: ${detail}`);
  }
  return result.stdout;
}

function lastLine(text: string): string {
  return text.trim().split("\n").at(-1)?.trim() ?? "";
}

async function readTag(paths: LlamaPaths): Promise<string | undefined> {
  try {
    const info = JSON.parse(await Deno.readTextFile(join(paths.dir, "llama.cpp.info.json")));
    return typeof info?.tag === "string" ? info.tag : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a path exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `fn` holding the cache directory's provisioning lock (`<dir>/provision.lock`, holding the
 * owner's pid). A lock whose owner is dead is taken over; a live one is a ServerError naming `what`.
 */
export async function withProvisionLock<T>(
  paths: Pick<LlamaPaths, "dir">,
  fn: () => Promise<T>,
  what = "llama-server",
): Promise<T> {
  await Deno.mkdir(paths.dir, { recursive: true });
  const lock = join(paths.dir, "provision.lock");
  for (let attempt = 0;; attempt++) {
    try {
      await Deno.writeTextFile(lock, String(Deno.pid), { createNew: true });
      break;
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists) || attempt > 0) throw error;
      const owner = Number(await Deno.readTextFile(lock).catch(() => ""));
      if (owner > 0 && owner !== Deno.pid && pidAlive(owner)) {
        throw new ServerError(`Cannot provision ${what}: another build is running (pid ${owner})`);
      }
      await Deno.remove(lock).catch(() => {});
    }
  }
  try {
    return await fn();
  } finally {
    await Deno.remove(lock).catch(() => {});
  }
}
