/**
 * MIME bundles (`text/markup`, `text/markdown`, `text/plain`) for a run, an attempt, a Coder turn, an
 * execution and a Sheriff turn, and {@linkcode Rich}: a value Jupyter displays through
 * `[Symbol.for("Jupyter.display")]()`. Pure: nothing here touches `Deno.jupyter`.
 *
 * @module
 */
import type { Attempt, ChatMessage, Language, RunResult } from "../types.ts";
import { frame, type SafeHtml } from "./html.ts";
import { attemptHtml, coderHtml, execHtml, sheriffHtml } from "./turn_html.ts";
import { runHtml } from "./run_html.ts";
import {
  attemptMarkdown,
  coderMarkdown,
  escapeMarkdown,
  execMarkdown,
  runMarkdown,
  sheriffMarkdown,
} from "./markdown.ts";
import { describeChecks, describeDraft, describeExec, describeOpinion, describeResult } from "./format.ts";
import type { PromptBook, TurnPrompts } from "./prompt_book.ts";

/** The symbol Deno's Jupyter kernel looks for on a cell's value. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display");

/** What a displayable value gives Jupyter: the same content in three formats. */
export interface MimeBundle {
  /** Self-contained HTML (its own scoped stylesheet). */
  "text/html": string;
  /** The same as Markdown. */
  "text/markdown": string;
  /** The same as plain text. */
  "text/plain": string;
  /** Any other MIME type. */
  [mime: string]: string;
}

/** A value Deno's Jupyter kernel renders richly. */
export interface Displayable {
  /** The bundle to show. */
  [JUPYTER_DISPLAY](): MimeBundle;
}

/** Builds a bundle from its three parts. */
export function bundleOf(htmlPart: SafeHtml, markdown: string, plain: string): MimeBundle {
  return { "text/html": htmlPart.value, "text/markdown": markdown, "text/plain": plain };
}

/** A displayable wrapper around a bundle builder; `String(rich)` is its plain text. */
export class Rich implements Displayable {
  readonly #build: () => MimeBundle;
  /** Wraps a bundle builder (called on each display, so it may read live state). */
  constructor(build: () => MimeBundle) {
    this.#build = build;
  }
  /** The bundle. */
  bundle(): MimeBundle {
    return this.#build();
  }
  /** Called by the Jupyter kernel. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return this.#build();
  }
  /** The plain-text form. */
  toString(): string {
    return this.#build()["text/plain"];
  }
}

/** The plain-text lines of an attempt. */
function attemptPlain(attempt: Attempt): string {
  const v = attempt.verdict;
  return [
    `attempt ${attempt.number}: ${v.passed ? "PASS" : "FAIL"}${v.overruled ? " (Sheriff overruled)" : ""}`,
    `  Coder ${describeDraft(attempt.draft)}`,
    `  Run ${attempt.exec ? describeExec(attempt.exec) : "not run"}`,
    ...(attempt.checks.length ? [`  Checks ${describeChecks(attempt.checks)}`] : []),
    `  Sheriff ${describeOpinion(attempt.sheriff).split("\n")[0]}`,
    ...v.reasons.map((r) => `  · ${r}`),
  ].join("\n");
}

/** The bundle of a run; `notes` say what could not be read back (for a loaded run). */
export function runBundle(
  result: RunResult,
  prompts: PromptBook = {},
  notes: readonly string[] = [],
): MimeBundle {
  const plain = [
    ...describeResult(result),
    ...result.attempts.map(attemptPlain),
    ...notes.map((n) => `note: ${n}`),
  ].join("\n");
  const markdown = [runMarkdown(result, prompts), ...notes.map((n) => `*note: ${escapeMarkdown(n)}*`)]
    .join("\n\n");
  return bundleOf(runHtml(result, prompts, notes), markdown, plain);
}

/** The bundle of an attempt. */
export function attemptBundle(attempt: Attempt, language: Language, prompts: TurnPrompts = {}): MimeBundle {
  return bundleOf(
    frame(attemptHtml(attempt, language, prompts)),
    attemptMarkdown(attempt, language, prompts),
    attemptPlain(attempt),
  );
}

/** The bundle of an attempt's Coder turn. */
export function coderBundle(
  attempt: Attempt,
  language: Language,
  prompt?: readonly ChatMessage[],
): MimeBundle {
  const plain = `Coder, attempt ${attempt.number}: ${describeDraft(attempt.draft)}\n${
    attempt.draft.kind === "code" ? attempt.draft.code : attempt.draft.reply.text
  }`;
  return bundleOf(
    frame(coderHtml(attempt, language, prompt)),
    coderMarkdown(attempt, language, prompt),
    plain,
  );
}

/** The bundle of an attempt's execution and checks. */
export function execBundle(attempt: Attempt): MimeBundle {
  const exec = attempt.exec;
  const lines = [`Run, attempt ${attempt.number}: ${exec ? describeExec(exec) : "not run"}`];
  if (exec && exec.kind !== "refused") {
    lines.push(`stdout:\n${exec.stdout.text}`, `stderr:\n${exec.stderr.text}`);
  }
  for (const c of attempt.checks) lines.push(`${c.passed ? "✓" : "✗"} ${c.name}: ${c.detail}`);
  return bundleOf(frame(execHtml(attempt)), execMarkdown(attempt), lines.join("\n"));
}

/** The bundle of an attempt's Sheriff turn. */
export function sheriffBundle(attempt: Attempt, prompt?: readonly ChatMessage[]): MimeBundle {
  const op = attempt.sheriff;
  const plain = `Sheriff, attempt ${attempt.number}: ${describeOpinion(op)}${
    op.kind === "verdict" ? `\nfix: ${op.fix}` : ""
  }`;
  return bundleOf(frame(sheriffHtml(attempt, prompt)), sheriffMarkdown(attempt, prompt), plain);
}
