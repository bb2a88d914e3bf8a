/**
 * What the terminal shows of a program run beyond its one-line summary: the last lines of stdout and
 * stderr, and for a failed `stdout` check the expected against the actual output as a line diff. All
 * program text is escaped for the terminal. Pure: lines out, the caller paints them.
 *
 * @module
 */
import type { Captured, CheckResult, ExecResult } from "../types.ts";
import { plural } from "../host/plural.ts";
import { printable } from "../host/printable.ts";
import { lineDiff } from "./line_diff.ts";

/** A line for the terminal and how to paint it. */
export interface Line {
  /** The text, already escaped. */
  text: string;
  /** `dim` for frames and notes, `red`/`green` for diff sides; plain when absent. */
  tone?: "dim" | "red" | "green";
}

/** How much program output to show. */
export interface OutputOptions {
  /** Lines kept from the end of each stream; `"all"` shows the whole captured text. @default {12} */
  lines?: number | "all";
  /** Said where lines were cut, e.g. how to see them all. */
  cutHint?: string;
}

/** The default number of lines shown from the end of each stream. */
export const DEFAULT_OUTPUT_LINES = 12;

/** The last lines of stdout and stderr of a run, each under its name; nothing for empty streams. */
export function outputLines(result: ExecResult, options: OutputOptions = {}): Line[] {
  if (result.kind === "refused") return [];
  return [...streamLines("stdout", result.stdout, options), ...streamLines("stderr", result.stderr, options)];
}

function streamLines(name: string, captured: Captured, options: OutputOptions): Line[] {
  const text = captured.text.replaceAll("\r\n", "\n").replace(/\n$/, "");
  if (text === "") return [];
  const all = text.split("\n");
  const keep = options.lines ?? DEFAULT_OUTPUT_LINES;
  const shown = keep === "all" ? all : all.slice(-keep);
  const cut = all.length - shown.length;
  const note = captured.truncated ? ` · capture truncated, ${captured.bytes} B written in all` : "";
  const lines: Line[] = [{ text: `  ${name}${note}`, tone: "dim" }];
  if (cut > 0) {
    const hint = options.cutHint ? ` (${options.cutHint})` : "";
    lines.push({ text: `  │ … ${plural(cut, "earlier line")} not shown${hint}`, tone: "dim" });
  }
  for (const line of shown) lines.push({ text: `  │ ${printable(line)}` });
  return lines;
}

/**
 * The lines of the failed checks: each check's detail once; for a failed `stdout` check with the
 * expected text known, the expected (`-`) against the actual (`+`) stdout as a line diff.
 */
export function failedCheckLines(
  results: readonly CheckResult[],
  stdout: { expected?: string; actual?: string },
): Line[] {
  const lines: Line[] = [];
  for (const check of results.filter((r) => !r.passed)) {
    const { expected, actual } = stdout;
    if (check.name === "stdout" && expected !== undefined && actual !== undefined) {
      lines.push({
        text: `  ✗ stdout differs from the expected output (- expected, + actual):`,
        tone: "red",
      });
      lines.push(...diffLines(expected.trim(), actual.trim()));
      continue;
    }
    const [first, ...rest] = printable(check.detail).split("\n");
    lines.push({ text: `  ✗ ${check.name}: ${first}`, tone: "red" });
    for (const more of rest) lines.push({ text: `    ${more}`, tone: "dim" });
  }
  return lines;
}

function diffLines(expected: string, actual: string): Line[] {
  return lineDiff(expected, actual).map((line): Line => {
    switch (line.kind) {
      case "same":
        return { text: `      ${printable(line.text)}`, tone: "dim" };
      case "expected":
        return { text: `    - ${printable(line.text)}`, tone: "red" };
      case "actual":
        return { text: `    + ${printable(line.text)}`, tone: "green" };
      case "folded":
        return { text: `      … ${plural(line.count, "unchanged line")}`, tone: "dim" };
      case "more":
        return { text: `      … ${plural(line.count, "more line")}`, tone: "dim" };
      default: {
        const never: never = line;
        return never;
      }
    }
  });
}
