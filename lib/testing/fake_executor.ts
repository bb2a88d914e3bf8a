/**
 * An `Executor` that runs nothing: each program gets a scripted result, so the loop can be tested
 * without a sandbox, Python or Deno subprocesses.
 *
 * @module
 */
import { dirname, join } from "node:path";
import type { Captured, CheckResult, ExecResult, Executor, Language } from "../types.ts";
import { runChecks } from "../sandbox/checks.ts";

/** One program the loop asked the fake to run. */
export interface FakeProgram {
  /** The program's language. */
  language: Language;
  /** The program's source. */
  code: string;
  /** Its work dir (created by the loop). */
  dir: string;
  /** The wall-clock limit the loop gave it, in milliseconds. */
  timeoutMs: number;
}

/**
 * What one program does:
 * - an `ExecResult`: returned as is;
 * - `{ exit?, stdout?, stderr?, files?, ms? }`: the program exited with `exit` (default 0) after
 *   printing `stdout` and `stderr`, and left `files` (relative path to content) in its work dir;
 * - `{ hang: true }`: it never ends by itself: `timed_out` once `timeoutMs` passes, `interrupted`
 *   when the signal aborts first.
 */
export type FakeRun =
  | ExecResult
  | { exit?: number; stdout?: string; stderr?: string; files?: Record<string, string>; ms?: number }
  | { hang: true };

/** Picks what a program does; `index` counts programs from 0. */
export type FakeRunner = (program: FakeProgram, index: number) => FakeRun | Promise<FakeRun>;

/** Options of {@linkcode fakeExecutor}. */
export interface FakeExecutorOptions {
  /**
   * Decides the task's `test` check, given the test program and the run it checks. The other checks
   * (`stdout`, `stdout_contains`, `stdout_matches`, `files`) are the real ones, run on the fake result.
   * @default {a failed check saying the fake runs no test program}
   */
  test?: (code: string, run: ExecResult) => boolean | Promise<boolean>;
}

/** An `Executor` answering from a script, which records every program it was given. */
export interface FakeExecutor extends Executor {
  /** Every program, in the order it came. */
  readonly programs: FakeProgram[];
}

/**
 * An executor answering from `runs`: an array used in order (a program beyond its end throws a
 * `RangeError`), or a function picking what each program does.
 *
 * @example A program that prints, then one that crashes; pass `executor` to `runTask` the same way
 * ```ts
 * import assert from "node:assert/strict";
 * import { fakeExecutor } from "@factory/factory/testing";
 *
 * const executor = fakeExecutor([{ stdout: "55\n" }, { exit: 1, stderr: "ZeroDivisionError\n" }]);
 * const dir = await Deno.makeTempDir();
 * const first = await executor.execute({ language: "python", code: "print(55)", dir }, { timeoutMs: 1000 });
 * assert.equal(first.kind === "exited" && first.stdout.text, "55\n");
 * const checks = await executor.runChecks({ stdout: "55" }, first, { dir, language: "python", timeoutMs: 1000 });
 * assert.equal(checks[0].passed, true);
 * const second = await executor.execute({ language: "python", code: "1/0", dir }, { timeoutMs: 1000 });
 * assert.equal(second.kind === "exited" && second.code, 1);
 * assert.equal(executor.programs.length, 2);
 * await Deno.remove(dir);
 * ```
 */
export function fakeExecutor(runs: FakeRun[] | FakeRunner, options: FakeExecutorOptions = {}): FakeExecutor {
  const queue = Array.isArray(runs) ? [...runs] : undefined;
  const programs: FakeProgram[] = [];
  const next = (program: FakeProgram, index: number) => {
    if (!queue) return (runs as FakeRunner)(program, index);
    const run = queue.shift();
    if (run === undefined) throw new RangeError(`fakeExecutor: no run left for program ${index + 1}`);
    return run;
  };
  return {
    programs,
    async execute(program, { timeoutMs, signal }) {
      const fake = { ...program, timeoutMs };
      programs.push(fake);
      const run = await next(fake, programs.length - 1);
      if ("kind" in run) return run;
      if ("hang" in run) return await hang(timeoutMs, signal);
      for (const [path, content] of Object.entries(run.files ?? {})) {
        await Deno.mkdir(dirname(join(program.dir, path)), { recursive: true });
        await Deno.writeTextFile(join(program.dir, path), content);
      }
      const { exit = 0, stdout = "", stderr = "", ms = 5 } = run;
      return { kind: "exited", code: exit, stdout: captured(stdout), stderr: captured(stderr), ms };
    },
    async runChecks(checks, result, context) {
      const { test, ...rest } = checks;
      const results = await runChecks(rest, result, context);
      if (test !== undefined) results.push(await testCheck(test, result, options));
      return results;
    },
  };
}

/**
 * Captured output holding `text`: whole by default, or marked truncated with `bytes` written in all
 * (the bytes of `text` by default).
 */
export function captured(text: string, options: { truncated?: boolean; bytes?: number } = {}): Captured {
  const bytes = options.bytes ?? new TextEncoder().encode(text).length;
  return { text, bytes, truncated: options.truncated ?? false };
}

async function testCheck(
  code: string,
  result: ExecResult,
  options: FakeExecutorOptions,
): Promise<CheckResult> {
  if (!options.test) {
    return { name: "test", passed: false, detail: "not run: the fake executor was given no `test` decision" };
  }
  const passed = await options.test(code, result);
  return { name: "test", passed, detail: passed ? "the fake test passed" : "the fake test failed" };
}

function hang(timeoutMs: number, signal: AbortSignal | undefined): Promise<ExecResult> {
  const started = performance.now();
  const output = () => ({ stdout: captured(""), stderr: captured("") });
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve({ kind: "interrupted", afterMs: 0, ...output() });
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve({ kind: "timed_out", afterMs: timeoutMs, ...output() });
    }, timeoutMs);
    const onAbort = () => {
      clearTimeout(timer);
      resolve({ kind: "interrupted", afterMs: Math.round(performance.now() - started), ...output() });
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
