/**
 * Where a model lives in the cache: `<root>/models/<name>.gguf`, with its stamp, its partial file
 * while it is assembled, and the folder of downloaded wheels kept until it is assembled.
 *
 * @module
 */

import { cacheRoot } from "../host/cache_paths.ts";
import { join } from "node:path";

/** The cache layout of one model. */
export interface ModelPaths {
  /** `<root>/models` */
  dir: string;
  /** `<root>/models/<name>.gguf`, present only once verified. */
  file: string;
  /** `<file>.partial`, written during assembly and renamed into place when it verifies. */
  partial: string;
  /** `<file>.verified.json`: size, mtime and sha256 recorded after a full verification. */
  stamp: string;
  /** `<root>/models/<name>.wheels`: downloaded wheels, reused by a retry, removed after success. */
  wheels: string;
}

/** The paths of model `name` under the cache root `root` (default: the user's factory cache). */
export function modelPaths(name: string, root: string = cacheRoot()): ModelPaths {
  const dir = modelsDir(root);
  const file = join(dir, `${name}.gguf`);
  return {
    dir,
    file,
    partial: `${file}.partial`,
    stamp: `${file}.verified.json`,
    wheels: join(dir, `${name}.wheels`),
  };
}

/** Where generated and downloaded models are cached. */
export function modelsDir(root: string): string {
  return join(root, "models");
}
