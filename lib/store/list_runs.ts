/**
 * Finding runs on disk: the run directories under an output folder (such as `runs/`), and the attempt
 * folders inside one run.
 *
 * @module
 */
import { join } from "node:path";
import { ConfigError } from "../errors.ts";
import { attemptNumberOf, RUN_FILES } from "./run_schema.ts";
import { readText } from "./_read_files.ts";

/**
 * The runs under `outDir`: the folders holding a `task.json`, oldest first (run ids start with the
 * time). Throws ConfigError when `outDir` cannot be read.
 */
export async function listRuns(outDir: string): Promise<string[]> {
  const dirs: string[] = [];
  try {
    for await (const entry of Deno.readDir(outDir)) {
      const dir = join(outDir, entry.name);
      if (entry.isDirectory && await readText(join(dir, RUN_FILES.task)) !== undefined) dirs.push(dir);
    }
  } catch (error) {
    throw new ConfigError(`Cannot list the runs in ${outDir}: ${(error as Error).message}`);
  }
  return dirs.sort();
}

/** The directory of the latest run under `outDir`. Throws ConfigError when there is none. */
export async function latestRunDir(outDir: string): Promise<string> {
  const latest = (await listRuns(outDir)).at(-1);
  if (!latest) throw new ConfigError(`Cannot find a run in ${outDir}: it holds none`);
  return latest;
}

/** The numbers of the attempt folders in run directory `dir`, in order. */
export async function attemptNumbers(dir: string): Promise<number[]> {
  const numbers: number[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const n = attemptNumberOf(entry.name);
    if (n !== undefined && entry.isDirectory) numbers.push(n);
  }
  return numbers.sort((a, b) => a - b);
}
