/**
 * Judging a program against a task's hidden ground truth, in a fresh directory, with the sandbox.
 *
 * MBPP: `hidden_test.py` imports every name of `main.py` (so the program's `if __name__ == "__main__"`
 * part does not run), then runs the test imports and ALL asserts, then prints a random marker. The task
 * passes when the test exits 0 AND printed the marker, so a program that calls `sys.exit(0)` while it
 * is imported cannot pass. Task-file checks: the program runs, then its checks run; it passes when it
 * exited 0 and every check passed.
 *
 * @module
 */
import { join } from "node:path";
import type { CheckResult, ExecResult, Language } from "../types.ts";
import { type ExecOptions, execute, executeFile } from "../sandbox/execute.ts";
import { runChecks } from "../sandbox/checks.ts";
import type { GroundTruth } from "./bench_task.ts";

/** The ground truth's answer on one program. */
export interface TruthResult {
  /** The program passed the hidden ground truth. */
  passed: boolean;
  /** Why it failed (the last line of stderr, a failed check), or "all asserts passed" and the like. */
  detail: string;
}

/** A program to judge. */
export interface JudgedProgram {
  /** The program's source. */
  code: string;
  /** The language the program is written in. */
  language: Language;
}

/** Judges one program; injected so tests of the runner need no sandbox. */
export type Judge = (
  truth: GroundTruth,
  program: JudgedProgram,
  options: { timeoutMs: number; signal?: AbortSignal },
) => Promise<TruthResult>;

/** Options of {@linkcode judgeProgram}. */
export interface JudgeOptions extends Partial<ExecOptions> {
  /** Where the fresh directories are made (and removed). @default the system temp dir */
  tmpDir?: string;
}

/** The test file written beside `main.py` for MBPP asserts; `marker` is printed when all passed. */
export function hiddenTestProgram(
  imports: readonly string[],
  asserts: readonly string[],
  marker: string,
): string {
  return [
    "import main as _factory_main",
    "globals().update({k: v for k, v in vars(_factory_main).items() if not k.startswith('__')})",
    ...imports,
    ...asserts,
    `print(${JSON.stringify(marker)})`,
  ].join("\n") + "\n";
}

/** Runs `program` against `truth` in a fresh directory, removed afterwards. Never throws for what the program does. */
export async function judgeProgram(
  truth: GroundTruth,
  program: JudgedProgram,
  options: JudgeOptions = {},
): Promise<TruthResult> {
  const dir = await Deno.makeTempDir({ prefix: "factory-truth-", dir: options.tmpDir });
  const exec: ExecOptions = { ...options, timeoutMs: options.timeoutMs ?? 10_000 };
  try {
    switch (truth.kind) {
      case "asserts":
        return await judgeAsserts(truth.imports, truth.asserts, program.code, dir, exec);
      case "checks": {
        const run = await execute({ language: program.language, code: program.code, dir }, exec);
        const checks = await runChecks(truth.checks, run, {
          ...exec,
          dir,
          language: program.language,
          program: program.code,
        });
        return checksVerdict(run, checks);
      }
      default: {
        const never: never = truth;
        return never;
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

async function judgeAsserts(
  imports: readonly string[],
  asserts: readonly string[],
  code: string,
  dir: string,
  exec: ExecOptions,
): Promise<TruthResult> {
  const marker = `factory-hidden-tests-passed-${crypto.randomUUID()}`;
  await Deno.writeTextFile(join(dir, "main.py"), code);
  await Deno.writeTextFile(join(dir, "hidden_test.py"), hiddenTestProgram(imports, asserts, marker));
  const run = await executeFile("python", dir, "hidden_test.py", exec);
  if (run.kind === "exited" && run.code === 0 && run.stdout.text.includes(marker)) {
    return { passed: true, detail: `all ${asserts.length} asserts passed` };
  }
  return { passed: false, detail: failureOf(run) };
}

function checksVerdict(run: ExecResult, checks: CheckResult[]): TruthResult {
  if (run.kind !== "exited" || run.code !== 0) return { passed: false, detail: failureOf(run) };
  const failed = checks.find((check) => !check.passed);
  if (failed) return { passed: false, detail: `check ${failed.name} failed: ${firstLine(failed.detail)}` };
  return { passed: true, detail: `exit 0, ${checks.length} checks passed` };
}

/** One line on why a run did not pass. */
function failureOf(run: ExecResult): string {
  switch (run.kind) {
    case "exited": {
      const last = run.stderr.text.trim().split("\n").at(-1)?.trim();
      if (run.code === 0) return "exited 0 before the asserts finished";
      return `exit ${run.code}${last ? `: ${last.slice(0, 200)}` : ""}`;
    }
    case "timed_out":
      return `timed out after ${run.afterMs} ms`;
    case "interrupted":
      return "interrupted";
    case "refused":
      return `not run: ${run.reason}`;
    default: {
      const never: never = run;
      return never;
    }
  }
}

function firstLine(text: string): string {
  return text.split("\n")[0].slice(0, 200);
}
