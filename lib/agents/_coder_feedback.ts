/**
 * The feedback that ends a Coder retry: why the previous attempt failed, what the Sheriff asked for, the
 * failed checks and the failing output, then what to write now. Pure.
 *
 * @module
 */
import type { Attempt, Language } from "../types.ts";
import { boundedLines, excerpt, oneLine } from "./excerpt.ts";
import { printable } from "../host/printable.ts";
import { LANGUAGE_TAGS } from "./_describe_task.ts";
import { outputBlocks, runStatus } from "./_describe_run.ts";

/** Character budgets of the feedback's parts; their sum stays under the feedback budget. */
const PARTS = { reasons: 700, analysis: 1000, fix: 800, checks: 1000 } as const;

/** A minimal program in each language, shown when the reply held no code block. */
const HELLO: Record<Language, string> = {
  python: 'print("hello")',
  typescript: 'console.log("hello");',
};

/** Writes the feedback on `previous` in at most `maxChars` characters (`outputChars` for the output). */
export function coderFeedback(
  attempt: Attempt,
  language: Language,
  budget: { maxChars: number; outputChars: number },
): string {
  const tag = LANGUAGE_TAGS[language];
  const previous = withShortPaths(attempt);
  const parts = [
    opening(previous),
    // Without a program the opening says it all; the reasons would only repeat "no program was run".
    previous.draft.kind === "code" ? reasonsText(withoutSheriffEcho(previous)) : "",
    sheriffText(previous),
    failedChecksText(previous),
    runText(previous, budget.outputChars),
    closing(previous, language, tag),
  ];
  return excerpt(parts.filter((part) => part !== "").join("\n\n"), budget.maxChars, { headShare: 0.8 });
}

function opening(previous: Attempt): string {
  switch (previous.draft.kind) {
    case "code":
      return `Your previous program (attempt ${previous.number}) did not pass.`;
    case "truncated":
      return "Your previous reply was cut off at the token limit before its code block was closed, " +
        "so nothing was run.";
    case "no_code":
      return "Your previous reply held no fenced code block, so there was nothing to run.";
    default: {
      const never: never = previous.draft;
      return never;
    }
  }
}

/**
 * The attempt with every path into its work dir cut to what follows it, in the output, the check
 * details and the reasons: a traceback then says `File "main.py"` instead of a long absolute path that
 * costs the Coder's prompt dozens of tokens (and cache) on each retry. A path is recognised by the work
 * dir's last two segments (`attempt-1/work/`), so a path already cut at its start is shortened too.
 */
export function withShortPaths(attempt: Attempt): Attempt {
  const segments = attempt.workDir.split(/[\\/]+/).filter((part) => part !== "" && part !== ".");
  const tail = segments.slice(-2).join("/");
  if (tail === "") return attempt;
  const pattern = new RegExp(`[^\\s"'\`]*${tail.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/`, "g");
  const cut = (text: string) => text.replaceAll(pattern, "");
  const exec = attempt.exec?.kind === "refused" || attempt.exec === undefined ? attempt.exec : {
    ...attempt.exec,
    stdout: { ...attempt.exec.stdout, text: cut(attempt.exec.stdout.text) },
    stderr: { ...attempt.exec.stderr, text: cut(attempt.exec.stderr.text) },
  };
  return {
    ...attempt,
    exec,
    checks: attempt.checks.map((check) => ({ ...check, detail: cut(check.detail) })),
    verdict: { ...attempt.verdict, reasons: attempt.verdict.reasons.map(cut) },
  };
}

/** The verdict's reasons without the Sheriff's one-line summary when its whole analysis follows anyway. */
function withoutSheriffEcho(previous: Attempt): string[] {
  const opinion = previous.sheriff;
  const shown = opinion.kind === "verdict" && opinion.analysis.trim() !== "";
  return previous.verdict.reasons.filter((reason) => !(shown && reason.startsWith("the Sheriff said FAIL:")));
}

function reasonsText(reasons: readonly string[]): string {
  if (reasons.length === 0) return "";
  const lines = reasons.map((reason) => `- ${oneLine(printable(reason), 240)}`);
  return `Why it failed:\n${boundedLines(lines, PARTS.reasons - 15)}`;
}

function sheriffText(previous: Attempt): string {
  const opinion = previous.sheriff;
  if (opinion.kind !== "verdict") return "";
  const parts: string[] = [];
  const analysis = printable(opinion.analysis).trim();
  if (analysis !== "") parts.push(`Reviewer's analysis: ${excerpt(analysis, PARTS.analysis - 25)}`);
  const fix = printable(opinion.fix).trim();
  if (fix !== "" && !/^none\.?$/i.test(fix)) {
    parts.push(`Reviewer's fix request: ${excerpt(fix, PARTS.fix - 25)}`);
  }
  return parts.join("\n");
}

function failedChecksText(previous: Attempt): string {
  const failed = previous.checks.filter((check) => !check.passed);
  if (failed.length === 0) return "";
  const lines = failed.map((check) =>
    `- ${oneLine(check.name, 40)}: ${oneLine(printable(check.detail), 400)}`
  );
  return `Failed checks:\n${boundedLines(lines, PARTS.checks - 15)}`;
}

function runText(previous: Attempt, outputChars: number): string {
  const exec = previous.exec;
  if (previous.draft.kind !== "code" || exec === undefined) return "";
  const status = `What happened when it ran: ${runStatus(exec)}`;
  const output = outputBlocks(exec, {
    maxChars: outputChars - status.length - 1,
    stdoutHeadShare: 0.5,
    stderrHeadShare: 0,
  });
  return output === "" ? status : `${status}\n${output}`;
}

function closing(previous: Attempt, language: Language, tag: string): string {
  switch (previous.draft.kind) {
    case "code":
      return `Fix the program. Reply with the complete corrected program in one \`\`\`${tag} block.`;
    case "truncated":
      return "Write a shorter program: no comments, no explanations, nothing the task does not ask for. " +
        `Reply with only the complete program in one \`\`\`${tag} block, and close the block.`;
    case "no_code":
      return `Reply with only the complete program in one fenced block tagged ${tag}, like this:\n` +
        `\`\`\`${tag}\n${HELLO[language]}\n\`\`\``;
    default: {
      const never: never = previous.draft;
      return never;
    }
  }
}
