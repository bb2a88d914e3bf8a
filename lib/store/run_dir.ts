/**
 * Writes a run's artifacts directory: `<out>/<run-id>/` with the resolved task, one folder per attempt,
 * the transcript and the summary, in the format of `run_schema.ts`. Names come from code (a timestamp
 * and a slug), never from user text.
 *
 * @module
 */
import { join, relative } from "node:path";
import type { Attempt, Language, RunEvent, RunResult, Task } from "../types.ts";
import { openTranscript, type Transcript } from "./transcript.ts";
import { summaryOf } from "./summary.ts";
import {
  ATTEMPT_FILES,
  attemptDirName,
  type AttemptRecordInput,
  RUN_FILES,
  type RunRecord,
  scriptName,
} from "./run_schema.ts";

/** A new run id: UTC time, the task's slug and a random suffix, e.g. `20261125-134501-fib-3fa2`. */
export function newRunId(task: Pick<Task, "name">, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const suffix = crypto.getRandomValues(new Uint8Array(2)).reduce(
    (s, b) => s + b.toString(16).padStart(2, "0"),
    "",
  );
  return `${stamp}-${task.name.slice(0, 40).replace(/-+$/, "")}-${suffix}`;
}

/** Run ids and task names: letters, digits and single dashes, so no path can be formed from them. */
const SAFE_NAME = /^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/;

/** Writes a run's artifacts as the run goes. Close it with `await using` or `close()`. */
export class RunStore implements AsyncDisposable {
  readonly dir: string;
  readonly #transcript: Transcript;

  private constructor(dir: string, transcript: Transcript) {
    this.dir = dir;
    this.#transcript = transcript;
  }

  /**
   * Creates `<outDir>/<runId>/` (failing if it exists) and writes the resolved task, and with `run` what
   * ran it (`run.json`).
   */
  static async create(
    outDir: string,
    runId: string,
    task: Task,
    run?: Omit<RunRecord, "runId">,
  ): Promise<RunStore> {
    if (!SAFE_NAME.test(runId) || !SAFE_NAME.test(task.name)) {
      throw new RangeError(`Unsafe run id or task name: ${JSON.stringify(runId)} (use slugify() for names)`);
    }
    const dir = join(outDir, runId);
    await Deno.mkdir(outDir, { recursive: true });
    await Deno.mkdir(dir);
    await Deno.writeTextFile(join(dir, RUN_FILES.task), JSON.stringify(task, null, 2) + "\n");
    if (run) {
      const record: RunRecord = { runId, ...run };
      await Deno.writeTextFile(join(dir, RUN_FILES.run), JSON.stringify(record, null, 2) + "\n");
    }
    return new RunStore(dir, await openTranscript(join(dir, RUN_FILES.transcript)));
  }

  /** The folder of attempt `n`. */
  attemptDir(n: number): string {
    return join(this.dir, attemptDirName(n));
  }

  /** The sandbox work dir of attempt `n`: the only place its program may write. */
  workDir(n: number): string {
    return join(this.attemptDir(n), ATTEMPT_FILES.work);
  }

  /** Appends an event to the transcript (streamed tokens are left out: replies are logged whole). */
  async record(event: RunEvent): Promise<void> {
    if (event.kind === "coder_token" || event.kind === "sheriff_token") return;
    await this.#transcript.append(event);
  }

  /** Where attempt `n`'s program is kept. */
  scriptPath(n: number, language: Language): string {
    return join(this.attemptDir(n), scriptName(language));
  }

  /** Keeps the program as written, before it runs (the program cannot alter this copy). */
  async writeScript(n: number, code: string, language: Language): Promise<string> {
    await Deno.mkdir(this.attemptDir(n), { recursive: true });
    const path = this.scriptPath(n, language);
    await Deno.writeTextFile(path, code);
    return path;
  }

  /** Writes an attempt's replies, outputs and result record (its `workDir` relative to the run directory). */
  async writeAttempt(attempt: Attempt): Promise<void> {
    const dir = this.attemptDir(attempt.number);
    await Deno.mkdir(dir, { recursive: true });
    attempt = { ...attempt, workDir: relative(this.dir, attempt.workDir) };
    const files: Record<string, string> = { [ATTEMPT_FILES.coderReply]: attempt.draft.reply.text };
    if (attempt.sheriff.kind !== "skipped") files[ATTEMPT_FILES.sheriffReply] = attempt.sheriff.reply.text;
    if (attempt.exec && attempt.exec.kind !== "refused") {
      files[ATTEMPT_FILES.stdout] = attempt.exec.stdout.text;
      files[ATTEMPT_FILES.stderr] = attempt.exec.stderr.text;
    }
    files[ATTEMPT_FILES.result] = JSON.stringify(attemptRecord(attempt), null, 2) + "\n";
    for (const [name, text] of Object.entries(files)) await Deno.writeTextFile(join(dir, name), text);
  }

  /** Writes `summary.json` and closes the transcript. */
  async finish(result: RunResult): Promise<void> {
    const summary = summaryOf({ ...result, dir: this.dir });
    await Deno.writeTextFile(join(this.dir, RUN_FILES.summary), JSON.stringify(summary, null, 2) + "\n");
    await this.close();
  }

  /** Closes the transcript; safe to call twice. */
  async close(): Promise<void> {
    await this.#transcript.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** An attempt without the bulky texts that have files of their own. */
function attemptRecord(attempt: Attempt): AttemptRecordInput {
  const { draft, exec, sheriff, ...rest } = attempt;
  return {
    ...rest,
    draft: {
      kind: draft.kind,
      finishReason: draft.reply.finishReason,
      usage: draft.reply.usage,
      ms: draft.reply.ms,
      partial: draft.kind === "truncated" ? draft.partial : undefined,
    },
    exec: exec && exec.kind !== "refused"
      ? { ...exec, stdout: outline(exec.stdout), stderr: outline(exec.stderr) }
      : exec,
    sheriff: sheriff.kind === "verdict"
      ? { kind: sheriff.kind, verdict: sheriff.verdict, analysis: sheriff.analysis, fix: sheriff.fix }
      : sheriff.kind === "unparsable"
      ? { kind: sheriff.kind, error: sheriff.error }
      : sheriff,
  };
}

function outline(c: { bytes: number; truncated: boolean }) {
  return { bytes: c.bytes, truncated: c.truncated };
}
