/**
 * What the loop needs to run a program and its checks, and the real sandbox behind it by default.
 *
 * @module
 */
import type { CheckResult, Checks, ExecResult, Language } from "../types.ts";
import { execute } from "../sandbox/execute.ts";
import { runChecks } from "../sandbox/checks.ts";

/** Runs one program in its work dir, and the task's checks after it. */
export interface Executor {
  execute(
    program: { language: Language; code: string; dir: string },
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<ExecResult>;
  runChecks(
    checks: Checks,
    result: ExecResult,
    context: { dir: string; language: Language; timeoutMs: number; signal?: AbortSignal },
  ): Promise<CheckResult[]>;
}

/** The sandbox executor: a scoped Deno subprocess or python3 with a scrubbed environment. */
export const defaultExecutor: Executor = { execute, runChecks };
