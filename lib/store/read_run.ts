/**
 * Reads a past run back from its artifacts directory (the format of `run_schema.ts`) as plain data: the
 * result as the loop returned it, the transcript's events (the prompts of every turn are in its
 * `model_call` events), and notes on what could not be read back. Programs are never run again. A run
 * that never finished (no `summary.json`) reads too, stopped as interrupted, with a note saying so.
 *
 * @module
 */
import { basename } from "node:path";
import type { Attempt, RunEvent, RunResult, Summary, Task } from "../types.ts";
import { ConfigError } from "../errors.ts";
import { sumUsage } from "../host/token_totals.ts";
import { pathInRun, RUN_FILES, RunRecord, SummaryRecord, TaskRecord } from "./run_schema.ts";
import { readJson, readOptionalJson, readTranscript } from "./_read_files.ts";
import { readAttempt } from "./_read_attempt.ts";
import { attemptNumbers, listRuns } from "./list_runs.ts";

/** A run read back from its directory. */
export interface StoredRun {
  /** The run's result, with `dir` set to the directory read. */
  result: RunResult;
  /** The transcript's events in order (each with its `at` time); empty when there is no transcript. */
  events: RunEvent[];
  /** What could not be read back, one sentence each; empty for a finished run read whole. */
  notes: string[];
}

/** Reads the run in `dir`. Throws ConfigError when `dir` is not a run's artifacts directory. */
export async function readRun(dir: string): Promise<StoredRun> {
  const task = parseTask(dir, await readJson(dir, RUN_FILES.task));
  const notes: string[] = [];
  const events = await readTranscript(dir, notes);
  const attempts: Attempt[] = [];
  for (const n of await attemptNumbers(dir)) {
    attempts.push(await readAttempt(n, { runDir: dir, language: task.language, events, notes }));
  }
  const summary = parseSummary(dir, await readOptionalJson(dir, RUN_FILES.summary));
  if (!summary) notes.push(`the run did not finish: there is no ${RUN_FILES.summary}`);
  const run = RunRecord.safeParse(await readOptionalJson(dir, RUN_FILES.run));
  const result = summary
    ? fromSummary(summary, task, attempts, dir)
    : unfinished(basename(dir), task, attempts, events);
  return { result: { ...result, ...recorded(summary, run.data), dir }, events, notes };
}

/** Reads every run under `outDir` (such as `runs/`), oldest first. */
export async function readRuns(outDir: string): Promise<StoredRun[]> {
  const runs: StoredRun[] = [];
  for (const dir of await listRuns(outDir)) runs.push(await readRun(dir));
  return runs;
}

function parseTask(dir: string, value: unknown): Task {
  const parsed = TaskRecord.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(
      `Cannot load run ${dir}: ${RUN_FILES.task} does not hold a task: ${
        issue.path.join(".") || "value"
      }: ${issue.message}`,
    );
  }
  return parsed.data;
}

function parseSummary(dir: string, value: unknown): Summary | undefined {
  if (value === undefined) return undefined;
  const parsed = SummaryRecord.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(
      `Cannot load run ${dir}: ${RUN_FILES.summary}: ${issue.path.join(".") || "value"}: ${issue.message}`,
    );
  }
  return parsed.data;
}

/** When the run ran, its limits and what ran it, as far as `summary.json` and `run.json` say. */
function recorded(summary: Summary | undefined, run: RunRecord | undefined): Partial<RunResult> {
  const facts: Partial<RunResult> = {
    startedAt: summary?.startedAt ?? run?.startedAt,
    endedAt: summary?.endedAt,
    limits: summary?.limits ?? run?.limits,
    provenance: summary?.provenance ?? run?.provenance,
  };
  for (const key of Object.keys(facts) as (keyof typeof facts)[]) {
    if (facts[key] === undefined) delete facts[key];
  }
  return facts;
}

function fromSummary(summary: Summary, task: Task, attempts: Attempt[], dir: string): RunResult {
  return {
    runId: summary.runId,
    task,
    status: summary.status,
    stopReason: summary.stopReason,
    stopDetail: summary.stopDetail,
    attempts,
    tokens: summary.tokens,
    durations: summary.durations,
    finalScript: summary.finalScript && pathInRun(dir, summary.finalScript),
  };
}

/** A run without `summary.json`: totals from the transcript, stopped as interrupted. */
function unfinished(runId: string, task: Task, attempts: Attempt[], events: RunEvent[]): RunResult {
  const replies = events.flatMap((e) => e.kind === "model_call" && e.reply ? [e.reply] : []);
  const modelMs = replies.reduce((ms, r) => ms + r.ms, 0);
  const times = events.map((e) => Date.parse((e as { at?: string }).at ?? "")).filter(Number.isFinite);
  const totalMs = times.length ? Math.max(...times) - Math.min(...times) : 0;
  const execMs = attempts.reduce((ms, a) => ms + (a.exec?.kind === "exited" ? a.exec.ms : 0), 0);
  return {
    runId,
    task,
    status: "interrupted",
    stopReason: "interrupted",
    stopDetail: `The run did not finish (no ${RUN_FILES.summary})`,
    attempts,
    tokens: sumUsage(replies.map((r) => r.usage)),
    durations: { totalMs, modelMs, execMs, orchestrationMs: Math.max(0, totalMs - modelMs - execMs) },
  };
}
