/**
 * Small factories for the agents' tests: replies, captured output, runs, attempts and tasks.
 *
 * @module
 */
import type {
  Attempt,
  CheckResult,
  Draft,
  ExecResult,
  SheriffOpinion,
  Task,
  Verdict,
} from "../../lib/types.ts";
import { captured, reply } from "../_fakes.ts";

export { captured, reply };

/** A run that exited with `code`. */
export function exited(code: number, stdout = "", stderr = ""): ExecResult {
  return { kind: "exited", code, stdout: captured(stdout), stderr: captured(stderr), ms: 42 };
}

/** A run killed at the time limit. */
export function timedOut(stdout = "", stderr = ""): ExecResult {
  return { kind: "timed_out", afterMs: 60_000, stdout: captured(stdout), stderr: captured(stderr) };
}

/** A check result. */
export function check(name: string, passed: boolean, detail: string): CheckResult {
  return { name, passed, detail };
}

/** A Sheriff verdict. */
export function opinion(verdict: "PASS" | "FAIL", analysis: string, fix: string): SheriffOpinion {
  return { kind: "verdict", verdict, analysis, fix, reply: reply(`VERDICT: ${verdict}`) };
}

/** A code draft. */
export function codeDraft(code: string): Draft {
  return { kind: "code", code, reply: reply("```python\n" + code + "```") };
}

/** A failed attempt; fields not given describe a draft that was never run. */
export function attempt(fields: {
  draft: Draft;
  exec?: ExecResult;
  checks?: CheckResult[];
  sheriff?: SheriffOpinion;
  reasons?: string[];
}): Attempt {
  const verdict: Verdict = { passed: false, overruled: false, reasons: fields.reasons ?? [] };
  return {
    number: 1,
    draft: fields.draft,
    exec: fields.exec,
    checks: fields.checks ?? [],
    sheriff: fields.sheriff ?? { kind: "skipped", reason: "no program" },
    verdict,
    workDir: "/tmp/run/attempt-1",
    ms: 1000,
  };
}

/** A Python task with a stdout check. */
export const FIZZ_TASK: Task = {
  name: "fizzbuzz",
  description: "Print the numbers 1 to 15, one per line, but Fizz for multiples of 3, Buzz for multiples " +
    "of 5 and FizzBuzz for multiples of both.",
  constraints: ["Use a single loop", "No external packages"],
  language: "python",
  checks: {
    stdout: "1\n2\nFizz\n4\nBuzz\nFizz\n7\n8\nFizz\nBuzz\n11\nFizz\n13\n14\nFizzBuzz",
  },
};

/** A TypeScript task using every kind of check. */
export const TS_TASK: Task = {
  name: "word-count",
  description: "Write `words.txt` holding three words, one per line, then print how many words it holds.",
  constraints: [],
  language: "typescript",
  checks: {
    stdoutContains: ["3"],
    stdoutMatches: "^\\d+$",
    files: ["words.txt"],
    test: 'const text = Deno.readTextFileSync("words.txt");\nif (text.trim().split("\\n").length !== 3) ' +
      "Deno.exit(1);",
  },
};
