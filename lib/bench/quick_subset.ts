/**
 * The fixed MBPP quick subset for everyday runs, defined in `bench/mbpp_quick.json` by a rule that
 * never looks at results: every `step`-th task of the data set sorted by task id, starting with the
 * first. The file lists the resulting ids so a reader sees them; a test keeps list and rule in step.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { ConfigError } from "../errors.ts";

/** The subset's definition as stored. */
export interface QuickSubset {
  /** The rule in words. */
  rule: string;
  step: number;
  taskIds: number[];
}

/** `bench/mbpp_quick.json` in this repository. */
export const DEFAULT_QUICK_PATH: string = fileURLToPath(
  new URL("../../bench/mbpp_quick.json", import.meta.url),
);

const FILE = z.object({
  rule: z.string(),
  step: z.number().int().min(1),
  task_ids: z.array(z.number().int()).min(1),
});

/** The items at positions 0, step, 2 * step, ... */
export function everyNth<T>(items: readonly T[], step: number): T[] {
  if (!(Number.isInteger(step) && step >= 1)) {
    throw new RangeError(`step must be a whole number >= 1, got ${step}`);
  }
  return items.filter((_, i) => i % step === 0);
}

/** Reads the subset file. Throws a `ConfigError` when it is missing or malformed. */
export async function loadQuickSubset(path: string = DEFAULT_QUICK_PATH): Promise<QuickSubset> {
  let data: unknown;
  try {
    data = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new ConfigError(`Cannot read the MBPP quick subset: ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const parsed = FILE.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid MBPP quick subset in ${path}: ${issue.path.join(".")}: ${issue.message}`);
  }
  return { rule: parsed.data.rule, step: parsed.data.step, taskIds: parsed.data.task_ids };
}
