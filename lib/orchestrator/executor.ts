/**
 * What the loop needs to run a program and its checks, and the real sandbox behind it by default.
 *
 * @module
 */
import type { CheckResult, Checks, ExecResult, Language } from "../types.ts";
import { type ExecOptions, execute } from "../sandbox/execute.ts";
import { runChecks } from "../sandbox/checks.ts";

/** Runs one program in its work dir, and the task's checks after it. */
export interface Executor {
  /** Runs one program in `dir` within `timeoutMs` milliseconds; a timeout or failure is in the result. */
  execute(
    program: { language: Language; code: string; dir: string },
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<ExecResult>;
  /** Runs the task's checks against a finished run, one result per check. */
  runChecks(
    checks: Checks,
    result: ExecResult,
    context: {
      dir: string;
      language: Language;
      timeoutMs: number;
      signal?: AbortSignal;
      /** The program as kept: the `test` check imports this copy, never the work dir's file. */
      program?: string;
    },
  ): Promise<CheckResult[]>;
}

/**
 * How the sandbox executor runs every program of a run: the `sandbox` mode (`auto`, `require`, `off`) and
 * the resource bounds. The loop adds the timeout and the signal per run.
 */
export type SandboxSettings = Omit<ExecOptions, "timeoutMs" | "signal">;

/**
 * The sandbox executor with fixed settings: each program, and its `test` check, runs under the same
 * sandbox mode and bounds.
 */
export function sandboxExecutor(settings: SandboxSettings = {}): Executor {
  return {
    execute: (program, options) => execute(program, { ...settings, ...options }),
    runChecks: (checks, result, context) => runChecks(checks, result, { ...settings, ...context }),
  };
}

/** The sandbox executor with `sandbox: auto`: the strongest OS sandbox here, scoped permissions, rlimits. */
export const defaultExecutor: Executor = sandboxExecutor();
