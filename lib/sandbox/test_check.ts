/**
 * The `test` check: the task's test program, run outside the program's reach.
 *
 * It runs in a fresh dir holding only a copy of the kept program (the text the Coder wrote, not the work
 * dir's file, which the program may have rewritten), the test, a wrapper, and copies of the files the
 * task names in `checks.files`; never in the work dir, so no module, `.pth` file or start-up hook the
 * program left there is seen. Python runs isolated (`-I`, HOME an empty dir); the test passes only when
 * it exits 0 and the wrapper printed the run's random token after the test's end.
 *
 * @module
 */

import { join } from "node:path";
import type { CheckResult, ExecResult, Language } from "../types.ts";
import { pythonRunner, ranToEnd, RUNNER_FILES, TOKEN_FILE, typescriptRunner } from "./_check_runners.ts";
import { copyOne } from "./copy_tree.ts";
import { DEFAULT_FILE_NAMES, type ExecOptions, runFile } from "./execute.ts";

/** The file the `test` check's program is written to. */
export const TEST_FILE_NAMES: Readonly<Record<Language, string>> = {
  python: "test_main.py",
  typescript: "test_main.ts",
};

/** What the `test` check needs. */
export interface TestCheckContext extends Omit<ExecOptions, "timeoutMs"> {
  /** The program's work dir, where the `checks.files` are copied from. */
  dir: string;
  language: Language;
  timeoutMs: number;
  /** The kept program's text; without it, `main.*` is copied from the work dir (which the program may have rewritten). */
  program?: string;
  /** The task's `checks.files`: copied next to the test. */
  files?: string[];
}

/** Runs `code` as the task's test; see the module doc. Never throws for what the programs do. */
export async function testCheck(
  code: string,
  result: ExecResult,
  ctx: TestCheckContext,
): Promise<CheckResult> {
  if (result.kind !== "exited") {
    return { name: "test", passed: false, detail: `skipped: the program did not exit (${result.kind})` };
  }
  const { dir, language, program, files = [], ...options } = ctx;
  const fileName = TEST_FILE_NAMES[language];
  const fresh = await Deno.makeTempDir({ prefix: "factory-check-" });
  try {
    const work = join(fresh, "work");
    const home = join(fresh, "home");
    await Promise.all([Deno.mkdir(work), Deno.mkdir(home)]);
    const problem = await fill(work, { dir, language, program, files, test: code });
    if (problem) return { name: "test", passed: false, detail: problem };
    const token = crypto.randomUUID();
    await Deno.writeTextFile(join(work, TOKEN_FILE), token);
    const runner = RUNNER_FILES[language];
    const run = await runFile({ language, dir: work, fileName: runner, check: { home } }, options);
    return verdict(run, fileName, token);
  } catch (error) {
    return { name: "test", passed: false, detail: `${fileName} was not run: ${(error as Error).message}` };
  } finally {
    await Deno.remove(fresh, { recursive: true }).catch(() => {});
  }
}

/** Writes the program, the test, the wrapper and the task's files into `work`; a problem, or undefined. */
async function fill(
  work: string,
  what: { dir: string; language: Language; program?: string; files: string[]; test: string },
): Promise<string | undefined> {
  const mainFile = DEFAULT_FILE_NAMES[what.language];
  const testFile = TEST_FILE_NAMES[what.language];
  if (what.program !== undefined) {
    await Deno.writeTextFile(join(work, mainFile), what.program);
  } else if (!(await copyOne(what.dir, work, mainFile)).copied) {
    return `cannot test: ${mainFile} is not a plain file in the work dir`;
  }
  const ours = [mainFile, testFile, TOKEN_FILE, ...Object.values(RUNNER_FILES)];
  for (const file of what.files) {
    if (ours.includes(file) || file.split("/").includes("..")) continue;
    await copyOne(what.dir, work, file).catch(() => undefined);
  }
  const runner = what.language === "python" ? pythonRunner(mainFile, testFile) : typescriptRunner(testFile);
  await Deno.writeTextFile(join(work, testFile), what.test);
  await Deno.writeTextFile(join(work, RUNNER_FILES[what.language]), runner);
  return undefined;
}

function verdict(run: ExecResult, fileName: string, token: string): CheckResult {
  switch (run.kind) {
    case "exited":
      if (run.code === 0 && ranToEnd(run.stdout.text, token)) {
        return { name: "test", passed: true, detail: `${fileName} ran to its end and exited with code 0` };
      }
      if (run.code === 0) {
        return {
          name: "test",
          passed: false,
          detail: `${fileName} exited with code 0 before its end (the program exited while imported, ` +
            `or cut the test short)${tail(run.stderr.text)}`,
        };
      }
      return {
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

/** The most of a failing `test` program's stderr a check result keeps: its last lines, up to this. */
const TEST_TAIL_CHARS = 400;

/** The last few lines of stderr, at most TEST_TAIL_CHARS characters, after a colon; empty when there is none. */
function tail(stderr: string): string {
  const lines = stderr.trim().split("\n").slice(-6).join("\n");
  if (lines === "") return "";
  return `:\n${lines.length > TEST_TAIL_CHARS ? `…${lines.slice(-TEST_TAIL_CHARS)}` : lines}`;
}
