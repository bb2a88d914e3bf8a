/**
 * The one fact a retry leads with: why the previous attempt failed, in a few lines the Coder can act on.
 * Pure.
 *
 * Which fact decides, first match wins:
 * 1. the reply held no runnable program (cut off at the token or time limit, or no code block);
 * 2. the program was not run, or timed out;
 * 3. the `test` check ran the examples and one gave a wrong result: the first failing example, expected
 *    against actual (also when the program crashed: its demo most likely tripped over the same result);
 * 4. the program crashed: its exception with the source line. When the task's `test` check passed all
 *    the same, the functions are right and only the demo crashed, and the fact says so;
 * 5. the `test` check failed otherwise: the end of its output;
 * 6. another check failed: for `stdout`, the first differing line, expected against actual;
 * 7. the facts were clean and the Sheriff said FAIL (or could not be read): its analysis and the output.
 *
 * @module
 */
import type { Attempt, CheckResult, Checks, ExecResult, Language } from "../types.ts";
import { excerpt, fitExcerpt, oneLine } from "./excerpt.ts";
import { fence } from "../host/fence.ts";
import { duration } from "./_describe_run.ts";
import { printable } from "../host/printable.ts";

/** Character budget of the fact's quoted parts. */
const QUOTE_CHARS = 900;

/** The decisive fact about `attempt`, in a few lines. */
export function decisiveFact(attempt: Attempt, checks: Checks, language: Language): string {
  const draft = attempt.draft;
  const timeLimit = draft.reply.finishReason === "time_limit";
  if (draft.kind === "truncated") {
    return timeLimit
      ? "Your previous reply took too long: it was stopped at the time limit before its code block was " +
        "closed, so nothing was run."
      : "Your previous reply was cut off at the token limit before its code block was closed, so nothing " +
        "was run.";
  }
  if (draft.kind === "no_code") {
    return timeLimit
      ? "Your previous reply took too long: it was stopped at the time limit before it held a code block."
      : "Your previous reply held no fenced code block, so there was nothing to run.";
  }
  return programFact(attempt, draft.code, checks, language);
}

function programFact(attempt: Attempt, code: string, checks: Checks, language: Language): string {
  const exec = attempt.exec;
  if (exec === undefined) return "The program was not run.";
  if (exec.kind === "refused") return `The program was not run: ${oneLine(exec.reason, 300)}.`;
  if (exec.kind === "interrupted") return "The run was interrupted.";
  if (exec.kind === "timed_out") {
    return `The program did not finish: it was stopped after ${duration(exec.afterMs)}. It must end on its ` +
      "own, without waiting for input.";
  }
  const test = attempt.checks.find((check) => check.name === "test");
  if (exec.code !== 0 && test && !test.passed && isWrongResult(test)) {
    // The functions imported fine and gave a wrong result: that is the fact to fix (the crash is most
    // likely the program's own demo tripping over the same wrong result).
    const last = lastLine(exec.stderr.text);
    return `${testFact(test)}\n(The program itself also exited with code ${exec.code}${
      last ? `: ${last}` : ""
    }.)`;
  }
  if (exec.code !== 0) {
    const crash = crashText(exec, code, language);
    if (test?.passed) {
      return "Your functions pass the checks; your demo block crashes " +
        `(exit code ${exec.code}):\n${crash}\nFix the demo block or remove it; keep the functions as they are.`;
    }
    return `The program crashed (exit code ${exec.code}):\n${crash}`;
  }
  if (test && !test.passed) return testFact(test);
  const failed = attempt.checks.find((check) => !check.passed);
  if (failed) return checkFact(failed, checks, exec);
  return sheriffFact(attempt, exec);
}

/** The exception and the line that raised it, from a crashed run's stderr. */
function crashText(exec: Extract<ExecResult, { kind: "exited" }>, code: string, language: Language): string {
  const lines = printable(exec.stderr.text).split("\n").map((line) => line.trimEnd()).filter((l) => l !== "");
  if (lines.length === 0) return "(it printed nothing on stderr)";
  const picked = language === "python" ? pythonCrash(lines) : denoCrash(lines, code);
  return fence(excerpt(picked.join("\n"), QUOTE_CHARS, { headShare: 0.3 }), "text");
}

/** The last frame in the program (`main.py`) or else the last frame, its source line, and the error. */
function pythonCrash(lines: readonly string[]): string[] {
  const errorAt = lines.findLastIndex((line) =>
    /^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning)\b/.test(line)
  );
  const end = errorAt === -1 ? lines.length - 1 : errorAt;
  const frames = lines.slice(0, end).flatMap((
    line,
    i,
  ) => (/^\s*File "[^"]*", line \d+/.test(line) ? [i] : []));
  const inProgram = frames.filter((i) => /File "[^"]*main\.py"/.test(lines[i]));
  const frame = inProgram.at(-1) ?? frames.at(-1);
  if (frame === undefined) return lines.slice(Math.max(0, end - 2), end + 1);
  const source = lines[frame + 1] && !/^\s*File "/.test(lines[frame + 1]) ? [lines[frame + 1]] : [];
  return [lines[frame], ...source, ...lines.slice(end, end + 1)];
}

/** Deno's `error: ...` line and the first stack line in `main.ts`, with that line of the program. */
function denoCrash(lines: readonly string[], code: string): string[] {
  const errorAt = lines.findIndex((line) => /^error: /.test(line));
  if (errorAt === -1) return lines.slice(-3);
  const frame = lines.slice(errorAt + 1).find((line) => /main\.ts:\d+:\d+/.test(line));
  const lineNo = frame ? Number(/main\.ts:(\d+):\d+/.exec(frame)![1]) : undefined;
  const source = lineNo === undefined ? undefined : code.split("\n")[lineNo - 1];
  return [
    lines[errorAt],
    ...(frame ? [frame.trim()] : []),
    ...(source !== undefined ? [`main.ts line ${lineNo}: ${source.trim()}`] : []),
  ];
}

/** True when a `test` check ran the examples and one gave a wrong result (rather than crashing). */
function isWrongResult(test: CheckResult): boolean {
  return /^example \d+ of \d+ failed/m.test(test.detail);
}

function lastLine(text: string): string {
  return oneLine(printable(text).trim().split("\n").at(-1) ?? "", 200);
}

function testFact(test: CheckResult): string {
  const detail = test.detail.split("\n").slice(1).join("\n") || test.detail;
  if (isWrongResult(test)) {
    const block = fence(excerpt(detail, QUOTE_CHARS), "text");
    return `The check ran your functions and one result is wrong:\n${block}${inWords(detail)}`;
  }
  return `The test check failed: ${oneLine(test.detail.split("\n")[0], 200)}\n` +
    fence(excerpt(detail, QUOTE_CHARS, { headShare: 0.3 }), "text");
}

/** The failing example in one sentence: `f(3)` must give `9`; your function gives `6`. */
function inWords(detail: string): string {
  const call = /^example \d+ of \d+ failed: (.+)$/m.exec(detail)?.[1];
  const want = /^ {2}expected: (.+)$/m.exec(detail)?.[1];
  const got = /^ {2}got: +(.+)$/m.exec(detail)?.[1];
  if (call === undefined || want === undefined || got === undefined) return "";
  const gives = got.startsWith("error ") ? `raises ${got.slice(6)}` : `gives ${got}`;
  return `\nSo \`${call}\` must give ${want}, but your function ${gives}. Fix the function for this case.`;
}

function checkFact(
  check: CheckResult,
  checks: Checks,
  exec: Extract<ExecResult, { kind: "exited" }>,
): string {
  if (check.name === "stdout" && checks.stdout !== undefined) {
    return stdoutDiff(checks.stdout, exec.stdout.text);
  }
  return `The check ${check.name} failed: ${oneLine(check.detail, 400)}`;
}

/** The first line where stdout differs from the expected output, as a small diff. */
export function stdoutDiff(expected: string, actual: string): string {
  const want = expected.trim().split("\n").map((line) => line.trimEnd());
  const got = printable(actual).trim().split("\n").map((line) => line.trimEnd());
  if (got.length === 1 && got[0] === "") got.length = 0;
  let index = 0;
  while (index < want.length && index < got.length && want[index] === got[index]) index++;
  const show = (
    line: string | undefined,
  ) => (line === undefined ? "(no line)" : JSON.stringify(oneLine(line, 150)));
  const body = [
    `stdout line ${index + 1}:`,
    `- expected: ${show(want[index])}`,
    `+ got:      ${show(got[index])}`,
    `(expected ${want.length} lines, got ${got.length})`,
  ].join("\n");
  return `The output is not what the task asks for:\n${fence(body, "diff")}`;
}

function sheriffFact(attempt: Attempt, exec: Extract<ExecResult, { kind: "exited" }>): string {
  const opinion = attempt.sheriff;
  const stdout = printable(exec.stdout.text).trim();
  const printed = stdout === ""
    ? "It printed nothing."
    : `It printed:\n${
      fitExcerpt(stdout, QUOTE_CHARS / 2, (part) => fence(part, "text"), { headShare: 0.7 })
    }`;
  if (opinion.kind === "verdict" && opinion.analysis.trim() !== "") {
    return `The program ran without errors, but the reviewer says it does not do the task: ` +
      `${excerpt(opinion.analysis.trim(), 500)}\n${printed}`;
  }
  return `The program ran without errors, but the reviewer could not confirm it does the task.\n${printed}`;
}
