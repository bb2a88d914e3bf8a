/**
 * Reading the files of a run directory: absent files are `undefined`, JSON that does not parse is a
 * ConfigError naming the run and the file, a transcript line that does not parse is noted and skipped.
 *
 * @module
 */
import { join } from "node:path";
import type { RunEvent } from "../types.ts";
import { ConfigError } from "../errors.ts";
import { parseTranscriptLine, RUN_FILES } from "./run_schema.ts";

/** The file's text, or undefined when it does not exist. */
export async function readText(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** The JSON value of `dir/name`, or undefined when the file does not exist. */
export async function readOptionalJson(dir: string, name: string): Promise<unknown> {
  const text = await readText(join(dir, name));
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Cannot load run ${dir}: ${name} is not JSON: ${(error as Error).message}`);
  }
}

/** The JSON value of `dir/name`; a ConfigError when the file does not exist. */
export async function readJson(dir: string, name: string): Promise<unknown> {
  const value = await readOptionalJson(dir, name);
  if (value === undefined) throw new ConfigError(`Cannot load run ${dir}: no ${name}`);
  return value;
}

/** The events of the run's transcript; a line that does not parse (a run killed mid-write) is noted. */
export async function readTranscript(dir: string, notes: string[]): Promise<RunEvent[]> {
  const text = await readText(join(dir, RUN_FILES.transcript));
  if (text === undefined) {
    notes.push(`there is no ${RUN_FILES.transcript}: prompts and Sheriff timings are unknown`);
    return [];
  }
  const events: RunEvent[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      notes.push(`${RUN_FILES.transcript} line ${i + 1} is not JSON and was skipped`);
      continue;
    }
    const event = parseTranscriptLine(value);
    if (event) events.push(event);
    else notes.push(`${RUN_FILES.transcript} line ${i + 1} is not an event factory writes and was skipped`);
  }
  return events;
}
