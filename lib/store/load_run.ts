/**
 * Reads a past run back from its artifacts directory (`task.json`, `summary.json`, `attempt-N/` with
 * `result.json` and its files, `transcript.jsonl`) into a {@linkcode RunView} that displays like a live
 * run, prompts included. Programs are never run again. A run that never finished (no `summary.json`)
 * loads too, with notes saying what is missing.
 *
 * @module
 */
import { basename, join } from "node:path";
import { z } from "zod";
import type {
  Attempt,
  Draft,
  ExecResult,
  Language,
  ModelReply,
  Persona,
  RunEvent,
  RunResult,
  Task,
} from "../types.ts";
import { ConfigError } from "../errors.ts";
import { extractCode } from "../agents/extract_code.ts";
import { RunView } from "../render/run_view.ts";
import { promptsFromEvents } from "../render/prompt_book.ts";
import { extensionOf } from "./run_dir.ts";
import type { Summary } from "./summary.ts";

const Usage = z.object({
  promptTokens: z.number(),
  completionTokens: z.number(),
  cachedTokens: z.number().default(0),
  estimated: z.boolean().default(false),
});
const Outline = z.object({ bytes: z.number(), truncated: z.boolean() });
const AttemptRecord = z.object({
  number: z.number().int().positive(),
  checks: z.array(z.object({ name: z.string(), passed: z.boolean(), detail: z.string() })).default([]),
  verdict: z.object({ passed: z.boolean(), overruled: z.boolean(), reasons: z.array(z.string()) }),
  signature: z.string().optional(),
  workDir: z.string().default(""),
  ms: z.number().default(0),
  draft: z.object({
    kind: z.enum(["code", "truncated", "no_code"]),
    finishReason: z.enum(["stop", "length", "time_limit", "other"]),
    usage: Usage,
    ms: z.number(),
  }),
  exec: z.union([
    z.object({
      kind: z.literal("exited"),
      code: z.number(),
      ms: z.number(),
      stdout: Outline,
      stderr: Outline,
    }),
    z.object({
      kind: z.enum(["timed_out", "interrupted"]),
      afterMs: z.number(),
      stdout: Outline,
      stderr: Outline,
    }),
    z.object({ kind: z.literal("refused"), reason: z.string() }),
  ]).optional(),
  sheriff: z.union([
    z.object({
      kind: z.literal("verdict"),
      verdict: z.enum(["PASS", "FAIL"]),
      analysis: z.string(),
      fix: z.string(),
    }),
    z.object({ kind: z.literal("unparsable"), error: z.string() }),
    z.object({ kind: z.literal("skipped"), reason: z.string() }),
  ]),
});
type AttemptRecord = z.infer<typeof AttemptRecord>;

/** Loads the run in `dir`. Throws ConfigError when `dir` is not a run's artifacts directory. */
export async function loadRun(dir: string): Promise<RunView> {
  const task = await readJson(dir, "task.json") as Task;
  if (typeof task?.name !== "string" || typeof task.description !== "string") {
    throw new ConfigError(`Cannot load run ${dir}: task.json does not hold a task`);
  }
  task.language = task.language === "typescript" ? "typescript" : "python";
  task.checks ??= {};
  task.constraints ??= [];
  const notes: string[] = [];
  const events = await readTranscript(join(dir, "transcript.jsonl"), notes);
  const attempts: Attempt[] = [];
  for (const n of await attemptNumbers(dir)) {
    attempts.push(await loadAttempt(dir, n, task.language, events, notes));
  }
  const summary = await readOptionalJson(dir, "summary.json") as Summary | undefined;
  if (!summary) notes.push("the run did not finish: there is no summary.json");
  const base = summary
    ? fromSummary(summary, task, attempts)
    : unfinished(basename(dir), task, attempts, events);
  return new RunView({ ...base, dir }, promptsFromEvents(events), notes);
}

/**
 * The runs under `outDir` (such as `runs/`): the folders holding a `task.json`, oldest first (run ids
 * start with the time). Throws ConfigError when `outDir` cannot be read.
 */
export async function listRuns(outDir: string): Promise<string[]> {
  const dirs: string[] = [];
  try {
    for await (const entry of Deno.readDir(outDir)) {
      const dir = join(outDir, entry.name);
      if (entry.isDirectory && await readText(join(dir, "task.json")) !== undefined) dirs.push(dir);
    }
  } catch (error) {
    throw new ConfigError(`Cannot list the runs in ${outDir}: ${(error as Error).message}`);
  }
  return dirs.sort();
}

/** Loads every run under `outDir`, oldest first. */
export async function loadRuns(outDir: string): Promise<RunView[]> {
  const runs: RunView[] = [];
  for (const dir of await listRuns(outDir)) runs.push(await loadRun(dir));
  return runs;
}

/** The directory of the latest run under `outDir`. Throws ConfigError when there is none. */
export async function latestRunDir(outDir: string): Promise<string> {
  const latest = (await listRuns(outDir)).at(-1);
  if (!latest) throw new ConfigError(`Cannot find a run in ${outDir}: it holds none`);
  return latest;
}

function fromSummary(summary: Summary, task: Task, attempts: Attempt[]): RunResult {
  return {
    runId: summary.runId,
    task,
    status: summary.status,
    stopReason: summary.stopReason,
    stopDetail: summary.stopDetail,
    attempts,
    tokens: summary.tokens,
    durations: summary.durations,
    finalScript: summary.finalScript,
  };
}

/** The attempt numbers present, in order. */
async function attemptNumbers(dir: string): Promise<number[]> {
  const numbers: number[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const match = /^attempt-(\d+)$/.exec(entry.name);
    if (match && entry.isDirectory) numbers.push(Number(match[1]));
  }
  return numbers.sort((a, b) => a - b);
}

async function loadAttempt(
  runDir: string,
  n: number,
  language: Language,
  events: RunEvent[],
  notes: string[],
): Promise<Attempt> {
  const dir = join(runDir, `attempt-${n}`);
  const parsed = AttemptRecord.safeParse(await readJson(runDir, `attempt-${n}/result.json`));
  if (!parsed.success) {
    throw new ConfigError(
      `Cannot load run ${runDir}: attempt-${n}/result.json: ${parsed.error.issues[0].message}`,
    );
  }
  const record = parsed.data;
  const coderText = await readText(join(dir, "coder_reply.md")) ?? "";
  const { finishReason, usage, ms } = record.draft;
  const coderReply: ModelReply = replyOf(events, n, "coder") ?? { text: coderText, finishReason, usage, ms };
  const draft = await draftOf(record, coderReply, join(dir, `script.${extensionOf(language)}`), language);
  const sheriffText = await readText(join(dir, "sheriff_reply.md")) ?? "";
  const logged = replyOf(events, n, "sheriff");
  const sheriffReply = logged ?? missingReply(sheriffText);
  if (record.sheriff.kind !== "skipped" && !logged) {
    notes.push(`attempt ${n}: the Sheriff's token counts and time are not in the transcript`);
  }
  const sheriff = record.sheriff.kind === "skipped"
    ? record.sheriff
    : { ...record.sheriff, reply: { ...sheriffReply, text: sheriffText } };
  return {
    number: record.number,
    draft,
    exec: await execOf(record.exec, dir),
    checks: record.checks,
    sheriff,
    verdict: record.verdict,
    signature: record.signature,
    workDir: record.workDir,
    ms: record.ms,
  };
}

async function draftOf(record: AttemptRecord, reply: ModelReply, script: string, language: Language) {
  if (record.draft.kind === "code") {
    const code = await readText(script);
    if (code !== undefined) return { kind: "code", code, reply } satisfies Draft;
  }
  const again = extractCode(reply, language);
  if (again.kind === record.draft.kind) return again;
  return { kind: "no_code", reply } satisfies Draft;
}

async function execOf(exec: AttemptRecord["exec"], dir: string): Promise<ExecResult | undefined> {
  if (!exec || exec.kind === "refused") return exec;
  const stdout = { ...exec.stdout, text: await readText(join(dir, "stdout.txt")) ?? "" };
  const stderr = { ...exec.stderr, text: await readText(join(dir, "stderr.txt")) ?? "" };
  return { ...exec, stdout, stderr };
}

function missingReply(text: string): ModelReply {
  const usage = { promptTokens: 0, completionTokens: 0, cachedTokens: 0, estimated: true };
  return { text, finishReason: "other", usage, ms: 0 };
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

async function readOptionalJson(dir: string, name: string): Promise<unknown> {
  const text = await readText(join(dir, name));
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Cannot load run ${dir}: ${name} is not JSON: ${(error as Error).message}`);
  }
}

async function readJson(dir: string, name: string): Promise<unknown> {
  const value = await readOptionalJson(dir, name);
  if (value === undefined) throw new ConfigError(`Cannot load run ${dir}: no ${name}`);
  return value;
}

/** The events of `transcript.jsonl`; a line that does not parse (a run killed mid-write) is noted. */
async function readTranscript(path: string, notes: string[]): Promise<RunEvent[]> {
  const text = await readText(path);
  if (text === undefined) {
    notes.push("there is no transcript.jsonl: prompts and Sheriff timings are unknown");
    return [];
  }
  const events: RunEvent[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    try {
      events.push(JSON.parse(line));
    } catch {
      notes.push(`transcript.jsonl line ${i + 1} is not JSON and was skipped`);
    }
  }
  return events;
}

/** The reply of attempt `n`'s model call by `persona`, from the transcript. */
function replyOf(events: RunEvent[], n: number, persona: Persona): ModelReply | undefined {
  const call = events.findLast((e) => e.kind === "model_call" && e.attempt === n && e.persona === persona);
  return call?.kind === "model_call" ? call.reply : undefined;
}

/** A run without `summary.json`: totals from the transcript, stopped as interrupted. */
function unfinished(runId: string, task: Task, attempts: Attempt[], events: RunEvent[]): RunResult {
  const tokens = { prompt: 0, completion: 0, cached: 0, estimated: false };
  let modelMs = 0;
  for (const e of events) {
    if (e.kind !== "model_call" || !e.reply) continue;
    tokens.prompt += e.reply.usage.promptTokens;
    tokens.completion += e.reply.usage.completionTokens;
    tokens.cached += e.reply.usage.cachedTokens;
    tokens.estimated ||= e.reply.usage.estimated;
    modelMs += e.reply.ms;
  }
  const times = events.map((e) => Date.parse((e as { at?: string }).at ?? "")).filter(Number.isFinite);
  const totalMs = times.length ? Math.max(...times) - Math.min(...times) : 0;
  const execMs = attempts.reduce((ms, a) => ms + (a.exec?.kind === "exited" ? a.exec.ms : 0), 0);
  return {
    runId,
    task,
    status: "interrupted",
    stopReason: "interrupted",
    stopDetail: "The run did not finish (no summary.json)",
    attempts,
    tokens,
    durations: { totalMs, modelMs, execMs, orchestrationMs: Math.max(0, totalMs - modelMs - execMs) },
  };
}
