/**
 * Reading MBPP (sanitized): 427 tasks of one prompt sentence, a reference solution and assert tests.
 *
 * @module
 */
import { resolve } from "node:path";
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

/** The data set shipped with factory: `bench/data/mbpp/sanitized-mbpp.json` (CC BY 4.0, see its README). */
export const DEFAULT_MBPP_PATH: string = fileURLToPath(
  new URL("../../bench/data/mbpp/sanitized-mbpp.json", import.meta.url),
);

/** The sha256 of the shipped file, checked on every load of {@linkcode DEFAULT_MBPP_PATH}. */
export const MBPP_SHA256 = "ca95deaa9a01ef0a6f439f88bcf0dd3db3563d22f22aad6cae04ebb9a8d8c8e9";

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

/** Options of {@linkcode loadMbpp}. */
export interface LoadMbppOptions {
  /**
   * The file's expected sha256 (lowercase hex); a file that does not match is refused. `null` skips the
   * check (a data set of your own). @default {MBPP_SHA256} for the shipped file, else `null`
   */
  sha256?: string | null;
}

/**
 * Reads MBPP from `path`. Throws a `ConfigError` when the file is missing, does not have the expected
 * sha256, or is not valid MBPP.
 */
export async function loadMbpp(
  path: string = DEFAULT_MBPP_PATH,
  options: LoadMbppOptions = {},
): Promise<MbppRecord[]> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    throw new ConfigError(`Cannot read MBPP: ${path}: ${(error as Error).message}`, { cause: error });
  }
  const expected = options.sha256 === undefined
    ? (resolve(path) === DEFAULT_MBPP_PATH ? MBPP_SHA256 : null)
    : options.sha256;
  if (expected !== null) {
    const actual = await sha256Hex(bytes);
    if (actual !== expected) {
      throw new ConfigError(
        `MBPP data in ${path} is not the expected file: sha256 ${actual}, expected ${expected}`,
      );
    }
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw new ConfigError(`Invalid MBPP data in ${path}: ${(error as Error).message}`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Invalid MBPP data in ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseMbpp(data, `MBPP data in ${path}`);
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
