/**
 * The task file schema and its mapping to the `Task` type. Task files use snake_case keys; unknown
 * keys are errors.
 *
 * @module
 */

import { z } from "zod";
import { ConfigError } from "../errors.ts";
import type { Checks, Language, Task } from "../types.ts";
import { expecting, formatIssues } from "../config/format_issue.ts";
import { integer, list, oneOf, positiveNumber, section, text } from "../config/fields.ts";
import { slugFromWords, slugify } from "./slug.ts";
import { withDerivedChecks } from "./derive_checks.ts";

/** The languages a task can ask for; the first is the default. */
export const LANGUAGES = ["python", "typescript"] as const satisfies readonly Language[];

/** The longest task description accepted, in characters. */
export const MAX_DESCRIPTION_LENGTH = 20_000;

/** The longest single check value (expected stdout, test program), in characters. */
const MAX_CHECK_LENGTH = 100_000;

/** The longest `stdout_matches` pattern, in characters. */
const MAX_PATTERN_LENGTH = 1_000;

/** True when `path` is relative and stays inside the directory it is resolved against. */
export function isSafeRelativePath(path: string): boolean {
  if (path.trim() === "" || path.includes("\0")) return false;
  if (/^[/\\]/.test(path) || /^[a-zA-Z]:/.test(path)) return false;
  return !path.split(/[/\\]/).includes("..");
}

/** A pattern that compiles as a JavaScript regular expression (no flags). */
const pattern = text(MAX_PATTERN_LENGTH, "a regular expression").superRefine((value, ctx) => {
  try {
    new RegExp(value);
  } catch (error) {
    const detail = (error as Error).message.replace(/^Invalid regular expression: /, "");
    ctx.addIssue({ code: "custom", message: `not a valid regular expression: ${detail}`, input: value });
  }
});

const relativePath = text(4096, "a relative path").refine(isSafeRelativePath, {
  error: (issue) => `expected a relative path inside the work dir, got ${JSON.stringify(issue.input)}`,
});

const checksSchema = section({
  stdout: z.string({ error: expecting("a string") }).max(MAX_CHECK_LENGTH, {
    error: `expected at most ${MAX_CHECK_LENGTH} characters`,
  }).optional(),
  stdout_contains: list(text(MAX_CHECK_LENGTH), 100).optional(),
  stdout_matches: pattern.optional(),
  files: list(relativePath, 100).optional(),
  test: text(MAX_CHECK_LENGTH, "a program").optional(),
  derive: z.boolean({ error: expecting("true or false") }).optional(),
});

/** The schema of a task file (snake_case keys, unknown keys rejected). */
export const TaskFileSchema = z.strictObject({
  name: text(1000).optional(),
  description: text(MAX_DESCRIPTION_LENGTH),
  constraints: list(text(2000), 50).optional(),
  language: oneOf(LANGUAGES).optional(),
  max_attempts: integer(1).optional(),
  timeout: positiveNumber("a number of seconds > 0").optional(),
  checks: checksSchema,
}, { error: expecting("a mapping") });

type TaskFile = z.output<typeof TaskFileSchema>;

/** Options for {@linkcode parseTask}. */
export interface ParseTaskOptions {
  /** Starts every error message: `Invalid task file x.yaml`. */
  label: string;
  /** Slugged into the name when the file has no `name` (for example the file's base name). */
  fallbackName?: string;
  /** The language when the file does not say. @default {"python"} */
  language?: Language;
  /** The language whatever the file says (a command-line flag). */
  languageOverride?: Language;
  /**
   * Turn the examples in the description into a `test` check (see `withDerivedChecks`); `checks.derive:
   * false` in the file turns it off too. @default {true}
   */
  derive?: boolean;
}

function toChecks(checks: TaskFile["checks"]): Checks {
  const out: Checks = {};
  if (checks?.stdout !== undefined) out.stdout = checks.stdout;
  if (checks?.stdout_contains !== undefined) out.stdoutContains = checks.stdout_contains;
  if (checks?.stdout_matches !== undefined) out.stdoutMatches = checks.stdout_matches;
  if (checks?.files !== undefined) out.files = checks.files;
  if (checks?.test !== undefined) out.test = checks.test;
  return out;
}

function nameFor(file: TaskFile, options: ParseTaskOptions): string {
  if (file.name !== undefined) return slugify(file.name);
  if (options.fallbackName !== undefined && options.fallbackName.trim() !== "") {
    return slugify(options.fallbackName);
  }
  return slugFromWords(file.description);
}

/**
 * Validates task data (parsed YAML, or an object built in code) and maps it to a `Task`, with a `test`
 * check derived from the description's examples unless `derive` is off. Throws a
 * `ConfigError` naming the first bad key: `Invalid task file x.yaml: checks.files[0]: expected a
 * relative path inside the work dir, got "/etc/passwd"`.
 */
export function parseTask(data: unknown, options: ParseTaskOptions): Task {
  const result = TaskFileSchema.safeParse(data, { reportInput: true });
  if (!result.success) throw new ConfigError(`${options.label}: ${formatIssues(result.error.issues)}`);
  const file = result.data;
  const task: Task = {
    name: nameFor(file, options),
    description: file.description.trim(),
    constraints: file.constraints ?? [],
    language: options.languageOverride ?? file.language ?? options.language ?? LANGUAGES[0],
    checks: toChecks(file.checks),
  };
  if (file.max_attempts !== undefined) task.maxAttempts = file.max_attempts;
  if (file.timeout !== undefined) task.timeoutSec = file.timeout;
  const derive = options.derive !== false && file.checks?.derive !== false;
  return derive ? withDerivedChecks(task) : task;
}
