/**
 * The deterministic checks a task can ask for, run after its program.
 *
 * @module
 */

import { isAbsolute, join, relative, resolve } from "node:path";
import type { CheckResult, Checks, ExecResult, Language } from "../types.ts";
import { type ExecOptions, executeFile } from "./execute.ts";
import { writeFresh } from "./_write_fresh.ts";

/** Where and how the checks run: the program's work dir and the executor options of the program. */
export interface CheckContext extends Omit<ExecOptions, "timeoutMs"> {
  /** The program's work dir: `files` are looked up in it and the `test` program runs in it. */
  dir: string;
  /** The program's language, which is also the `test` program's. */
  language: Language;
  /** Wall-clock limit of the `test` program. */
  timeoutMs: number;
}

/** The file the `test` check's program is written to. */
export const TEST_FILE_NAMES: Readonly<Record<Language, string>> = {
  python: "test_main.py",
  typescript: "test_main.ts",
};

const DETAIL_CHARS = 200;

/** The most of a failing `test` program's stderr a check result keeps: its last lines, up to this. */
const TEST_TAIL_CHARS = 400;

/**
 * Runs every check set in `checks`, in the order `stdout`, `stdout_contains`, `stdout_matches`, `files`,
 * `test`; `[]` when none is set.
 *
 * - `stdout`, `stdout_contains` and `stdout_matches` look at the captured stdout of any run that has one,
 *   also a timed-out or interrupted one (a timeout is already a failure of its own); with a `refused` run
 *   they fail. `stdout` compares both sides whitespace-trimmed; `stdout_matches` tests the trimmed stdout
 *   against a JavaScript regular expression without flags. A truncated stdout is said so in the detail.
 * - `files` needs each relative path to exist inside the work dir; absolute paths, `..` escapes and
 *   symbolic links leading outside fail.
 * - `test` writes the test program next to the script (`test_main.py` / `test_main.ts`, replacing
 *   whatever the program left under that name without following a link) and runs it in the same
 *   sandbox; exit code 0 passes. It only runs when the program exited (with any code): after a
 *   timeout, an interruption or a refusal it fails as skipped, since the work dir may be half-written.
 */
export async function runChecks(
  checks: Checks,
  result: ExecResult,
  ctx: CheckContext,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const stdout = result.kind === "refused" ? undefined : result.stdout;
  if (checks.stdout !== undefined) {
    results.push(onStdout("stdout", stdout, (s) => checkStdout(checks.stdout!, s)));
  }
  if (checks.stdoutContains !== undefined) {
    results.push(onStdout("stdout_contains", stdout, (s) => checkContains(checks.stdoutContains!, s)));
  }
  if (checks.stdoutMatches !== undefined) {
    results.push(onStdout("stdout_matches", stdout, (s) => checkMatches(checks.stdoutMatches!, s)));
  }
  if (checks.files !== undefined) results.push(await checkFiles(checks.files, ctx.dir));
  if (checks.test !== undefined) results.push(await checkTest(checks.test, result, ctx));
  return results;
}

type Outcome = { passed: boolean; detail: string };

function onStdout(
  name: string,
  stdout: { text: string; truncated: boolean } | undefined,
  check: (text: string) => Outcome,
): CheckResult {
  if (stdout === undefined) return { name, passed: false, detail: "no stdout: the program was not run" };
  const { passed, detail } = check(stdout.text);
  return { name, passed, detail: !passed && stdout.truncated ? `${detail} (stdout was truncated)` : detail };
}

function checkStdout(expected: string, text: string): Outcome {
  const want = expected.trim();
  const got = text.trim();
  if (want === got) return { passed: true, detail: "stdout is as expected" };
  return { passed: false, detail: `expected ${quote(want)}, got ${quote(got)}` };
}

function checkContains(needles: string[], text: string): Outcome {
  const missing = needles.filter((n) => !text.includes(n));
  if (missing.length === 0) return { passed: true, detail: `stdout contains all ${needles.length}` };
  return { passed: false, detail: `stdout lacks ${missing.map(quote).join(", ")}` };
}

function checkMatches(pattern: string, text: string): Outcome {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    return {
      passed: false,
      detail: `invalid regular expression ${quote(pattern)}: ${(error as Error).message}`,
    };
  }
  if (regex.test(text.trim())) return { passed: true, detail: `stdout matches /${pattern}/` };
  return { passed: false, detail: `stdout ${quote(text.trim())} does not match /${pattern}/` };
}

async function checkFiles(paths: string[], dir: string): Promise<CheckResult> {
  const problems: string[] = [];
  for (const path of paths) {
    const problem = await fileProblem(path, dir);
    if (problem) problems.push(problem);
  }
  if (problems.length === 0) return { name: "files", passed: true, detail: `all ${paths.length} present` };
  return { name: "files", passed: false, detail: problems.join("; ") };
}

/** Why `path` does not count as a file inside `dir`, or undefined when it does. */
async function fileProblem(path: string, dir: string): Promise<string | undefined> {
  if (path === "" || isAbsolute(path)) return `${quote(path)} is not a relative path`;
  if (escapes(dir, resolve(dir, path))) return `${quote(path)} is outside the work dir`;
  try {
    const [real, realDir] = await Promise.all([Deno.realPath(join(dir, path)), Deno.realPath(dir)]);
    if (escapes(realDir, real)) return `${quote(path)} leads outside the work dir`;
    return undefined;
  } catch {
    return `${quote(path)} is missing`;
  }
}

function escapes(dir: string, path: string): boolean {
  const rel = relative(resolve(dir), path);
  return rel === ".." || rel.startsWith("../") || isAbsolute(rel);
}

async function checkTest(code: string, result: ExecResult, ctx: CheckContext): Promise<CheckResult> {
  if (result.kind !== "exited") {
    return { name: "test", passed: false, detail: `skipped: the program did not exit (${result.kind})` };
  }
  const fileName = TEST_FILE_NAMES[ctx.language];
  const { dir, language, ...options } = ctx;
  try {
    await writeFresh(join(dir, fileName), code);
  } catch (error) {
    return { name: "test", passed: false, detail: `cannot write ${fileName}: ${(error as Error).message}` };
  }
  const run = await executeFile(language, dir, fileName, options);
  switch (run.kind) {
    case "exited":
      return run.code === 0 ? { name: "test", passed: true, detail: `${fileName} exited with code 0` } : {
        name: "test",
        passed: false,
        detail: `${fileName} exited with code ${run.code}${tail(run.stderr.text)}`,
      };
    case "timed_out":
      return { name: "test", passed: false, detail: `${fileName} timed out after ${run.afterMs} ms` };
    case "interrupted":
      return { name: "test", passed: false, detail: `${fileName} was interrupted` };
    case "refused":
      return { name: "test", passed: false, detail: `${fileName} was not run: ${run.reason}` };
    default: {
      const unknown: never = run;
      throw new TypeError(`Unknown run result: ${JSON.stringify(unknown)}`);
    }
  }
}

/** The last few lines of stderr, at most TEST_TAIL_CHARS characters, after a colon; empty when there is none. */
function tail(stderr: string): string {
  const lines = stderr.trim().split("\n").slice(-6).join("\n");
  if (lines === "") return "";
  return `:\n${lines.length > TEST_TAIL_CHARS ? `…${lines.slice(-TEST_TAIL_CHARS)}` : lines}`;
}

/** JSON-quotes `text`, shortened in the middle to DETAIL_CHARS characters. */
function quote(text: string): string {
  if (text.length <= DETAIL_CHARS) return JSON.stringify(text);
  const half = Math.floor(DETAIL_CHARS / 2);
  return JSON.stringify(`${text.slice(0, half)}…${text.slice(-half)}`);
}
