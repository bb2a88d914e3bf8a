/**
 * The verdict on one attempt. Facts beat opinions: the exit code, the timeout and the task's checks
 * overrule the Sheriff; a PASS needs both the facts and the Sheriff.
 *
 * A program's own demo is part of the program: when a task's `test` check passes (its functions are
 * right) but the program itself exits with an error (its `__main__` demo crashed), the attempt fails,
 * with a reason that says exactly that, so the Coder can fix it in one step.
 *
 * @module
 */
import type { CheckResult, ExecResult, SheriffOpinion, Verdict } from "../types.ts";

/** Why the facts say the attempt failed, one line each; empty when the facts are clean. */
export function factFailures(exec: ExecResult | undefined, checks: readonly CheckResult[]): string[] {
  const reasons: string[] = [];
  if (!exec) reasons.push("no program was run");
  else {
    switch (exec.kind) {
      case "exited":
        if (exec.code !== 0 && checks.some((check) => check.name === "test" && check.passed)) {
          reasons.push(
            `the functions pass the test check, but the program's demo crashed (exit code ${exec.code})`,
          );
        } else if (exec.code !== 0) reasons.push(`the program exited with code ${exec.code}`);
        break;
      case "timed_out":
        reasons.push(`the program timed out after ${(exec.afterMs / 1000).toFixed(1)} s`);
        break;
      case "interrupted":
        reasons.push("the run was interrupted");
        break;
      case "refused":
        reasons.push(`the program was not run: ${exec.reason}`);
        break;
      default: {
        const never: never = exec;
        return never;
      }
    }
  }
  for (const check of checks) {
    if (!check.passed) reasons.push(`check ${check.name} failed: ${firstLine(check.detail)}`);
  }
  return reasons;
}

/** The first line, joined with the next when it only introduces it (`test_main.py exited with code 1:`). */
function firstLine(text: string): string {
  const [first = "", second] = text.split("\n");
  const line = first.endsWith(":") && second !== undefined ? `${first} ${second.trim()}` : first;
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** Options of {@linkcode decide}. */
export interface DecideOptions {
  /** When false (a run without a Sheriff), clean facts alone pass. @default {true} */
  sheriffRequired?: boolean;
}

/**
 * Combines the facts and the Sheriff's opinion into the attempt's verdict.
 *
 * @example The facts overrule a PASS
 * ```ts
 * import { decide } from "../../mod.ts";
 *
 * const verdict = decide(
 *   { kind: "timed_out", afterMs: 10_000, stdout: { text: "", bytes: 0, truncated: false }, stderr: { text: "", bytes: 0, truncated: false } },
 *   [],
 *   { kind: "skipped", reason: "no Sheriff" },
 *   { sheriffRequired: false },
 * );
 * console.assert(!verdict.passed);
 * ```
 */
export function decide(
  exec: ExecResult | undefined,
  checks: readonly CheckResult[],
  sheriff: SheriffOpinion,
  options: DecideOptions = {},
): Verdict {
  const facts = factFailures(exec, checks);
  const reasons = [...facts];
  if (options.sheriffRequired === false && sheriff.kind === "skipped") {
    return { passed: facts.length === 0, overruled: false, reasons };
  }
  const sheriffPassed = sheriff.kind === "verdict" && sheriff.verdict === "PASS";
  switch (sheriff.kind) {
    case "verdict":
      if (sheriff.verdict === "FAIL") {
        reasons.push(`the Sheriff said FAIL: ${firstLine(sheriff.analysis) || "no analysis"}`);
      }
      break;
    case "unparsable":
      reasons.push(`the Sheriff's reply could not be parsed: ${sheriff.error}`);
      break;
    case "skipped":
      reasons.push(`the Sheriff was not asked: ${sheriff.reason}`);
      break;
    default: {
      const never: never = sheriff;
      return never;
    }
  }
  const factsClean = facts.length === 0;
  return { passed: factsClean && sheriffPassed, overruled: sheriffPassed && !factsClean, reasons };
}
