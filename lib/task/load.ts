/**
 * Loading tasks: from a YAML task file, or from free text given on the command line.
 *
 * @module
 */

import { basename, extname } from "node:path";
import type { Language, Task } from "../types.ts";
import { ConfigError } from "../errors.ts";
import { invalidPrefix, readYamlFile } from "../config/read.ts";
import { MAX_DESCRIPTION_LENGTH, parseTask } from "./schema.ts";
import { slugFromWords } from "./slug.ts";

/** Options of {@linkcode loadTaskFile}. */
export interface LoadTaskOptions {
  /** Turn the examples in the description into a `test` check. @default {true} */
  derive?: boolean;
  /** The program's language, whatever the file says. */
  language?: Language;
}

/**
 * Reads and validates a task file. The task's name is its `name` key, else the file's base name,
 * slugged either way. Examples in the description become a `test` check unless `options.derive` is
 * false or the file says `checks.derive: false`. Throws a `ConfigError` naming the file (and the key) when the file is missing
 * (`Task file not found: x.yaml`), larger than 1 MiB, not UTF-8, not valid YAML, or not a valid task.
 *
 * @example
 * ```ts
 * import { loadTaskFile } from "../../mod.ts";
 *
 * async function main() {
 *   const task = await loadTaskFile("examples/fibonacci.yaml");
 *   console.log(task.name, Object.keys(task.checks));
 * }
 * ```
 */
export async function loadTaskFile(path: string, options: LoadTaskOptions = {}): Promise<Task> {
  const data = await readYamlFile(path, { kind: "task" });
  const stem = basename(path, extname(path));
  return parseTask(data, {
    label: invalidPrefix("task", path),
    fallbackName: stem,
    derive: options.derive,
    languageOverride: options.language,
  });
}

/** Options for {@linkcode taskFromText}. */
export interface TaskFromTextOptions {
  /** The language of the program to write. @default {"python"} */
  language?: Language;
  /** Turn the examples in the text into a `test` check. @default {true} */
  derive?: boolean;
}

/**
 * A task from free text: the text is the description, the name is a slug of its first words, there
 * are no constraints, and the only check is the one derived from examples in the text (if any). Throws a `ConfigError` when the text is empty or longer than
 * the description limit.
 *
 * @example
 * ```ts
 * import { taskFromText } from "../../mod.ts";
 *
 * const task = taskFromText("Print the first 10 Fibonacci numbers", { language: "typescript" });
 * console.assert(task.name === "print-the-first-10-fibonacci-numbers" && task.language === "typescript");
 * ```
 */
export function taskFromText(text: string, options: TaskFromTextOptions = {}): Task {
  if (text.length > MAX_DESCRIPTION_LENGTH) {
    throw new ConfigError(
      `Task description is too long: ${text.length} characters, the limit is ${MAX_DESCRIPTION_LENGTH}`,
    );
  }
  if (text.trim() === "") throw new ConfigError("Task description is empty: describe the program to write");
  return parseTask({ description: text, language: options.language }, {
    label: "Invalid task",
    fallbackName: slugFromWords(text),
    derive: options.derive,
  });
}
