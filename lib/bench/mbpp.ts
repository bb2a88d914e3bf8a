/**
 * Reading MBPP (sanitized): 427 tasks of one prompt sentence, a reference solution and assert tests.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { ConfigError } from "../errors.ts";

/** One MBPP task, with camelCase keys. */
export interface MbppRecord {
  taskId: number;
  /** One sentence describing the function to write. */
  prompt: string;
  /** The reference solution. */
  code: string;
  /** Statements the tests need first (for example `import math`). */
  testImports: string[];
  /** `assert` statements; the first names the function. */
  tests: string[];
}

/** Where the shared data set lives: `../shared/data/mbpp/sanitized-mbpp.json` beside the repository. */
export const DEFAULT_MBPP_PATH: string = fileURLToPath(
  new URL("../../../shared/data/mbpp/sanitized-mbpp.json", import.meta.url),
);

const RECORD = z.object({
  task_id: z.number().int(),
  prompt: z.string().min(1),
  code: z.string().min(1),
  test_imports: z.array(z.string()),
  test_list: z.array(z.string().startsWith("assert")).min(1),
});

/** Validates parsed MBPP JSON and returns its records sorted by task id. Throws a `ConfigError` naming `label`. */
export function parseMbpp(data: unknown, label = "MBPP data"): MbppRecord[] {
  const parsed = z.array(RECORD).safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid ${label}: ${issue.path.join(".")}: ${issue.message}`);
  }
  const records = parsed.data.map((r) => ({
    taskId: r.task_id,
    prompt: r.prompt.trim(),
    code: r.code,
    testImports: r.test_imports,
    tests: r.test_list,
  }));
  return records.sort((a, b) => a.taskId - b.taskId);
}

/** Reads MBPP from `path`. Throws a `ConfigError` when the file is missing or not valid MBPP. */
export async function loadMbpp(path: string = DEFAULT_MBPP_PATH): Promise<MbppRecord[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new ConfigError(`Cannot read MBPP: ${path}: ${(error as Error).message}`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Invalid MBPP data in ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseMbpp(data, `MBPP data in ${path}`);
}
