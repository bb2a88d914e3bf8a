/**
 * Markdown for runs, attempts and turns (the `text/markdown` part of each bundle). Program text and
 * output go in fences they cannot close; other model text is escaped inline. Pure.
 *
 * @module
 */
import type { Attempt, ChatMessage, Language, RunResult } from "../types.ts";
import { fence } from "../host/fence.ts";
import { describeChecks, describeDraft, describeExec, describeOpinion, describeResult } from "./format.ts";
import { replyFacts } from "./turn_html.ts";
import type { PromptBook } from "./prompt_book.ts";

/**
 * Escapes text for one line of Markdown: HTML characters become entities, Markdown punctuation is
 * backslash-escaped, and line breaks become spaces (so a table cell stays one cell).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]|~#]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, " ");
}

/** The prompt's messages, each fenced, under a heading. */
function promptMarkdown(messages: readonly ChatMessage[] | undefined): string[] {
  if (!messages?.length) return [];
  return ["**Prompt**", ...messages.flatMap((m) => [`*${m.role}*`, fence(m.content, "text")])];
}

/** The Coder turn. */
export function coderMarkdown(attempt: Attempt, language: Language, prompt?: readonly ChatMessage[]): string {
  const d = attempt.draft;
  const head = `**Coder** · attempt ${attempt.number} · ${escapeMarkdown(replyFacts(d.reply))}`;
  const body = d.kind === "code"
    ? [fence(d.code, language)]
    : d.kind === "truncated"
    ? ["*Cut off at the token limit; not run.*", fence(d.partial, language)]
    : ["*The reply held no code block.*", fence(d.reply.text, "text")];
  return [head, ...promptMarkdown(prompt), ...body].join("\n\n");
}

/** The execution and the checks. */
export function execMarkdown(attempt: Attempt): string {
  const exec = attempt.exec;
  if (!exec) return "**Run** · not run: there was no program";
  const parts = [`**Run** · ${escapeMarkdown(describeExec(exec))}`];
  if (exec.kind !== "refused") {
    for (const [name, c] of [["stdout", exec.stdout], ["stderr", exec.stderr]] as const) {
      const cut = c.truncated ? `, truncated: the program wrote ${c.bytes} bytes` : "";
      parts.push(`${name} (${c.bytes} bytes${cut}):`, fence(c.text, "text"));
    }
  }
  if (attempt.checks.length) {
    const rows = attempt.checks.map((c) =>
      `| ${escapeMarkdown(c.name)} | ${c.passed ? "pass" : "**fail**"} | ${escapeMarkdown(c.detail)} |`
    );
    parts.push(
      [
        `**Checks** · ${describeChecks(attempt.checks)}`,
        "",
        "| check | result | detail |",
        "|---|---|---|",
        ...rows,
      ]
        .join("\n"),
    );
  }
  return parts.join("\n\n");
}

/** The Sheriff turn. */
export function sheriffMarkdown(attempt: Attempt, prompt?: readonly ChatMessage[]): string {
  const op = attempt.sheriff;
  switch (op.kind) {
    case "verdict":
      return [
        `**Sheriff** · **${op.verdict}**${attempt.verdict.overruled ? " (overruled by the facts)" : ""} · ${
          escapeMarkdown(replyFacts(op.reply))
        }`,
        ...promptMarkdown(prompt),
        "Analysis:",
        fence(op.analysis || "(none)", "text"),
        "Suggested fix:",
        fence(op.fix || "(none)", "text"),
      ].join("\n\n");
    case "unparsable":
      return [
        `**Sheriff** · **unreadable** (counts as FAIL): ${escapeMarkdown(op.error)}`,
        ...promptMarkdown(prompt),
        fence(op.reply.text, "text"),
      ].join("\n\n");
    case "skipped":
      return `**Sheriff** · not asked: ${escapeMarkdown(op.reason)}`;
    default: {
      const never: never = op;
      return never;
    }
  }
}

/** A whole attempt. */
export function attemptMarkdown(
  attempt: Attempt,
  language: Language,
  prompts: { coder?: readonly ChatMessage[]; sheriff?: readonly ChatMessage[] } = {},
): string {
  const v = attempt.verdict;
  const head = `#### Attempt ${attempt.number} · **${v.passed ? "PASS" : "FAIL"}**${
    v.overruled ? " · Sheriff overruled" : ""
  }`;
  const reasons = v.reasons.map((r) => `- ${escapeMarkdown(r)}`).join("\n");
  return [
    head,
    ...(reasons ? [reasons] : []),
    coderMarkdown(attempt, language, prompts.coder),
    execMarkdown(attempt),
    sheriffMarkdown(attempt, prompts.sheriff),
  ].join("\n\n");
}

/** A whole run: summary, a timeline table, then every attempt. */
export function runMarkdown(result: RunResult, prompts: PromptBook = {}): string {
  const [head, ...rest] = describeResult(result);
  const rows = result.attempts.map((a) =>
    `| ${a.number} | ${a.verdict.passed ? "PASS" : "FAIL"} | ${escapeMarkdown(describeDraft(a.draft))} | ${
      a.exec ? escapeMarkdown(describeExec(a.exec)) : "not run"
    } | ${escapeMarkdown(describeOpinion(a.sheriff).split("\n")[0])} |`
  );
  return [
    `### factory · ${escapeMarkdown(result.task.name)} (${result.task.language})`,
    `**${escapeMarkdown(head)}**`,
    rest.map((line) => `- ${escapeMarkdown(line)}`).join("\n"),
    ["| # | verdict | Coder | run | Sheriff |", "|---|---|---|---|---|", ...rows].join("\n"),
    ...result.attempts.map((a) => attemptMarkdown(a, result.task.language, prompts[a.number])),
  ].join("\n\n");
}
