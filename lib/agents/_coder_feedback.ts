/**
 * A Coder retry's last two messages: the Coder's own previous reply (as its assistant turn; not a reply
 * cut off at the token or time limit), then the feedback, which leads with the one decisive fact (see `decisiveFact`), then the Sheriff's fix request,
 * and asks for the smallest change that answers the fact. Pure.
 *
 * The previous reply goes back to the model as it wrote it, so the slot that wrote it still holds it in
 * its prompt cache: on a retry only the feedback is new prompt to read, and prompt-lookup speculation
 * drafts the unchanged lines from it.
 *
 * @module
 */
import type { Attempt, ChatMessage, Language, Task } from "../types.ts";
import { excerpt } from "./excerpt.ts";
import { LANGUAGE_TAGS } from "./_describe_task.ts";
import { decisiveFact } from "./_decisive_fact.ts";
import { programBlock } from "./_program_block.ts";

/** Character budgets of the retry message's parts; their sum stays under the whole message's budget. */
export const FEEDBACK_PARTS = { fact: 1500, program: 4000, fix: 800 } as const;

/** A minimal program in each language, shown when the reply held no code block. */
const HELLO: Record<Language, string> = {
  python: 'print("hello")',
  typescript: 'console.log("hello");',
};

/**
 * The retry's closing messages on `attempt`: the Coder's previous reply, then the feedback, together in
 * at most `maxChars` characters.
 */
export function retryMessages(attempt: Attempt, task: Task, maxChars: number): ChatMessage[] {
  if (attempt.draft.kind === "truncated") {
    // A reply cut off at the limit is not replayed: the model would go on the same way.
    return [{ role: "user", content: coderFeedback(attempt, task, maxChars) }];
  }
  const reply = previousReply(attempt, task.language);
  return [
    { role: "assistant", content: reply },
    { role: "user", content: coderFeedback(attempt, task, maxChars - reply.length) },
  ];
}

/**
 * The Coder's previous reply as it wrote it; when longer than the program's budget, its program fenced
 * with the middle cut out (or, with no program, the reply's head).
 */
function previousReply(attempt: Attempt, language: Language): string {
  const text = attempt.draft.reply.text;
  if (text.length <= FEEDBACK_PARTS.program) return text;
  if (attempt.draft.kind === "code") {
    return programBlock(attempt.draft.code, language, FEEDBACK_PARTS.program);
  }
  return excerpt(text, FEEDBACK_PARTS.program, { headShare: 1 });
}

/**
 * The message that asks afresh, when a retry sent the failing program of `attempt` again: the decisive
 * fact and the fix request as in a retry, then a request for the program written anew with another
 * approach. The program is not shown, so there is nothing to copy.
 */
export function afreshFeedback(attempt: Attempt, task: Task, maxChars: number): string {
  const previous = withShortPaths(attempt);
  const fact = factText(previous, task);
  const tag = LANGUAGE_TAGS[task.language];
  const parts = [
    `Attempt ${previous.number} failed. ${fact}`,
    fixRequest(previous),
    "Asked to fix it, you sent the same program again. Write the program anew, from the start, with a " +
    "different approach, so that it does not fail this way. Keep to the task's rules: its demo only prints " +
    "results, with no asserts or tests (factory runs the checks itself). " +
    `Reply with the complete program in one \`\`\`${tag} block.`,
  ];
  return excerpt(parts.filter((part) => part !== "").join("\n\n"), maxChars, { headShare: 0.8 });
}

/** Writes the feedback on `attempt` in at most `maxChars` characters. */
export function coderFeedback(attempt: Attempt, task: Task, maxChars: number): string {
  const previous = withShortPaths(attempt);
  const fact = factText(previous, task);
  const repeat = previous.unchanged
    ? "\nThis program is the same as the one before it, and it fails the same way: this time change it."
    : "";
  const parts = [
    `Attempt ${previous.number} failed. ${fact}${repeat}`,
    fixRequest(previous),
    closing(previous, task.language),
  ];
  return excerpt(parts.filter((part) => part !== "").join("\n\n"), maxChars, { headShare: 0.8 });
}

/** The decisive fact on `previous` (paths already shortened), within its budget. */
function factText(previous: Attempt, task: Task): string {
  return excerpt(decisiveFact(previous, task.checks, task.language), FEEDBACK_PARTS.fact, { headShare: 0.7 });
}

/** The Sheriff's fix request, when it said FAIL and asked for something. */
function fixRequest(previous: Attempt): string {
  const opinion = previous.sheriff;
  if (opinion.kind !== "verdict" || opinion.verdict !== "FAIL") return "";
  const fix = opinion.fix.trim();
  if (fix === "" || /^none\.?$/i.test(fix)) return "";
  return `The reviewer's fix request: ${excerpt(fix, FEEDBACK_PARTS.fix - 30)}`;
}

function closing(previous: Attempt, language: Language): string {
  const tag = LANGUAGE_TAGS[language];
  switch (previous.draft.kind) {
    case "code":
      return "Change only what the fact above requires: find the line of your program that causes it and " +
        `correct that line. Reply with the complete corrected program in one \`\`\`${tag} block.`;
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
