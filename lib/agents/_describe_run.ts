/**
 * How a program run ended and what it printed, bounded and fenced as untrusted data. Pure.
 *
 * @module
 */
import type { Captured, ExecResult } from "../types.ts";
import { fitExcerpt, oneLine } from "./excerpt.ts";
import { fenceUntrusted } from "./fence.ts";
import { printable } from "../host/printable.ts";

/** One sentence on how the run ended, then factory's own notes on it (never program output). */
export function runStatus(exec: ExecResult): string {
  switch (exec.kind) {
    case "exited":
      return `The program exited with code ${exec.code} after ${duration(exec.ms)}.${notesText(exec)}`;
    case "timed_out":
      return `The program timed out: it was killed after ${duration(exec.afterMs)}.${notesText(exec)}`;
    case "interrupted":
      return `The run was interrupted by the user after ${duration(exec.afterMs)}.${notesText(exec)}`;
    case "refused":
      return `The program was not run: ${oneLine(exec.reason, 300)}.`;
    default: {
      const never: never = exec;
      return never;
    }
  }
}

/** factory's notes on a run, as a sentence after its status; "" when there are none. */
function notesText(exec: { notes?: { text: string }[] }): string {
  const notes = exec.notes ?? [];
  if (notes.length === 0) return "";
  return ` factory's sandbox noted: ${notes.map((note) => oneLine(note.text, 200)).join("; ")}.`;
}

/** How the output streams are cut to fit. */
export interface OutputShape {
  /** Both blocks together, labels and fences included. */
  maxChars: number;
  /** Share of the kept stdout taken from its start (the rest from its end). */
  stdoutHeadShare: number;
  /** Share of the kept stderr taken from its start. */
  stderrHeadShare: number;
}

/** The run's stdout and stderr as labelled untrusted blocks; "" when the program was not run. */
export function outputBlocks(exec: ExecResult, shape: OutputShape): string {
  if (exec.kind === "refused") return "";
  const stdout = streamRenderer("stdout", exec.stdout);
  const stderr = streamRenderer("stderr", exec.stderr);
  const [outChars, errChars] = splitBudget(shape.maxChars - 1, stdout.need, stderr.need);
  return [
    fitExcerpt(stdout.text, outChars, stdout.render, { headShare: shape.stdoutHeadShare }),
    fitExcerpt(stderr.text, errChars, stderr.render, { headShare: shape.stderrHeadShare }),
  ].join("\n");
}

interface StreamRenderer {
  text: string;
  render: (part: string) => string;
  /** The length of the whole stream rendered. */
  need: number;
}

function streamRenderer(name: string, captured: Captured): StreamRenderer {
  const text = printable(captured.text);
  if (text.trim() === "") {
    const empty = `${name}: (empty${captured.bytes > 0 ? `, ${captured.bytes} bytes of whitespace` : ""})`;
    return { text: "", render: () => empty, need: empty.length };
  }
  const kept = captured.truncated ? "; only its start and end were kept" : "";
  const render = (part: string) => fenceUntrusted(part, name, `${captured.bytes} bytes${kept}`);
  return { text, render, need: render(text).length };
}

/** Splits `total` between two needs: each gets what it needs when it can, else half. */
function splitBudget(total: number, a: number, b: number): [number, number] {
  const half = Math.floor(total / 2);
  if (a <= half) return [a, total - a];
  if (b <= half) return [total - b, b];
  return [half, total - half];
}

/** A duration in milliseconds as "120 ms" or "2.5 s". */
export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
