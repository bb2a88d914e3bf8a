/**
 * `results.jsonl`: one benchmark record per line, appended as each task finishes.
 *
 * @module
 */
import type { BenchRecord } from "./record.ts";

/** One record as a line of JSON, newline included. */
export function jsonLine(record: BenchRecord): string {
  return JSON.stringify(record) + "\n";
}

/** Parses the records of a `results.jsonl` text; blank lines are skipped. */
export function parseJsonLines(text: string): BenchRecord[] {
  return text.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line) as BenchRecord);
}

/** Appends records to a file, one line each, creating it when missing. */
export function jsonlAppender(path: string): (record: BenchRecord) => Promise<void> {
  return (record) => Deno.writeTextFile(path, jsonLine(record), { append: true, create: true });
}
