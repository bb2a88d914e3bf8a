/**
 * The fixed MBPP sample the benchmark runs by default, defined in `bench/mbpp_sample.json` by a rule that
 * never looks at results: 100 tasks spread evenly over the data set sorted by task id (the task at
 * position floor(i * n / 100) for i = 0..99). The file lists the resulting ids so a reader sees them; a
 * test keeps list and rule in step.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { ConfigError } from "../errors.ts";

/** The sample's definition as stored. */
export interface Sample {
  /** The rule in words. */
  rule: string;
  count: number;
  taskIds: number[];
}

/** `bench/mbpp_sample.json` in this repository. */
export const DEFAULT_SAMPLE_PATH: string = fileURLToPath(
  new URL("../../bench/mbpp_sample.json", import.meta.url),
);

const FILE = z.object({
  rule: z.string(),
  count: z.number().int().min(1),
  task_ids: z.array(z.number().int()).min(1),
});

/** `count` items spread evenly over `items`: the ones at positions floor(i * items.length / count). */
export function spreadEvenly<T>(items: readonly T[], count: number): T[] {
  if (!(Number.isInteger(count) && count >= 1)) {
    throw new RangeError(`count must be a whole number >= 1, got ${count}`);
  }
  if (count >= items.length) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]);
}

/** Reads the sample file. Throws a `ConfigError` when it is missing or malformed. */
export async function loadSample(path: string = DEFAULT_SAMPLE_PATH): Promise<Sample> {
  let data: unknown;
  try {
    data = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new ConfigError(`Cannot read the MBPP sample: ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const parsed = FILE.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid MBPP sample in ${path}: ${issue.path.join(".")}: ${issue.message}`);
  }
  return { rule: parsed.data.rule, count: parsed.data.count, taskIds: parsed.data.task_ids };
}
