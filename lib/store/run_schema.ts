/**
 * The format of a run's artifacts directory, in one place: the names of the files in `<out>/<run-id>/`
 * and the zod schemas of what they hold. The writer (`run_dir.ts`, `summary.ts`, `transcript.ts`)
 * builds these shapes; the reader (`read_run.ts`) parses them.
 *
 * ```
 * <run-id>/task.json            the resolved task             TaskRecord
 *          run.json             what ran it, when, its limits  RunRecord
 *          transcript.jsonl     one event per line, with `at`  TranscriptLine
 *          summary.json         the outcome (finished runs)    SummaryRecord
 *          attempt-N/result.json                               AttemptRecord
 *                   script.py | script.ts, coder_reply.md, sheriff_reply.md, stdout.txt, stderr.txt, work/
 * ```
 *
 * Paths inside the files (`finalScript`, an attempt's `workDir`) are relative to the run directory, so a
 * run reads the same from anywhere.
 *
 * @module
 */
import { isAbsolute, join } from "node:path";
import { z } from "zod";
import type { Language, Limits, RunEvent, RunProvenance, Summary, Task } from "../types.ts";

/** The files of a run directory. */
export const RUN_FILES = {
  task: "task.json",
  run: "run.json",
  transcript: "transcript.jsonl",
  summary: "summary.json",
} as const;

/** The files of an attempt's folder (the program is {@linkcode scriptName}). */
export const ATTEMPT_FILES = {
  result: "result.json",
  coderReply: "coder_reply.md",
  sheriffReply: "sheriff_reply.md",
  stdout: "stdout.txt",
  stderr: "stderr.txt",
  work: "work",
} as const;

/** The folder of attempt `n`: `attempt-<n>`. */
export function attemptDirName(n: number): string {
  return `attempt-${n}`;
}

/**
 * A path read from a run's files as a path usable from here: the format's paths are relative to the run
 * directory (`attempt-1/script.py`); runs written before that hold paths as they were (kept as is).
 */
export function pathInRun(runDir: string, path: string): string {
  return !isAbsolute(path) && attemptNumberOf(path.split(/[\\/]/)[0]) !== undefined
    ? join(runDir, path)
    : path;
}

/** The attempt number of a folder name, or undefined when it is not an attempt's folder. */
export function attemptNumberOf(name: string): number | undefined {
  const match = /^attempt-(\d+)$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** File extension of a program in a language. */
export function extensionOf(language: Language): string {
  return language === "python" ? "py" : "ts";
}

/** The file an attempt's program is kept in: `script.py` or `script.ts`. */
export function scriptName(language: Language): string {
  return `script.${extensionOf(language)}`;
}

const Language = z.enum(["python", "typescript"]);

/** `task.json`: the task as run. A missing or unknown language reads as Python. */
export const TaskRecord = z.object({
  name: z.string(),
  description: z.string(),
  constraints: z.array(z.string()).default([]),
  language: Language.catch("python"),
  maxAttempts: z.number().optional(),
  timeoutSec: z.number().optional(),
  checks: z.object({
    stdout: z.string().optional(),
    stdoutContains: z.array(z.string()).optional(),
    stdoutMatches: z.string().optional(),
    files: z.array(z.string()).optional(),
    test: z.string().optional(),
  }).default({}),
}) satisfies z.ZodType<Task>;

const UsageRecord = z.object({
  promptTokens: z.number(),
  completionTokens: z.number(),
  cachedTokens: z.number().default(0),
  estimated: z.boolean().default(false),
});
const FinishReason = z.enum(["stop", "length", "time_limit", "other"]);
const Outline = z.object({ bytes: z.number(), truncated: z.boolean() });
/** factory's notes on a run and its peak memory (absent in runs recorded before they existed). */
const RunFacts = {
  notes: z.array(z.object({ kind: z.enum(["limit", "work_dir"]), text: z.string() })).optional(),
  peakMemoryBytes: z.number().optional(),
};

/**
 * `attempt-N/result.json`: an attempt without the texts that have files of their own (the program, the
 * replies, the outputs). A cut-off draft keeps its partial program here, since it never gets a script.
 */
export const AttemptRecord = z.object({
  number: z.number().int().positive(),
  checks: z.array(z.object({ name: z.string(), passed: z.boolean(), detail: z.string() })).default([]),
  verdict: z.object({ passed: z.boolean(), overruled: z.boolean(), reasons: z.array(z.string()) }),
  signature: z.string().optional(),
  workDir: z.string().default(""),
  ms: z.number().default(0),
  draft: z.object({
    kind: z.enum(["code", "truncated", "no_code"]),
    finishReason: FinishReason,
    usage: UsageRecord,
    ms: z.number(),
    /** The partial program of a `truncated` draft (runs written before it was kept lack it). */
    partial: z.string().optional(),
  }),
  exec: z.union([
    z.object({
      kind: z.literal("exited"),
      code: z.number(),
      ms: z.number(),
      stdout: Outline,
      stderr: Outline,
      ...RunFacts,
    }),
    z.object({
      kind: z.enum(["timed_out", "interrupted"]),
      afterMs: z.number(),
      stdout: Outline,
      stderr: Outline,
      ...RunFacts,
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

/** What `result.json` holds, as read. */
export type AttemptRecord = z.output<typeof AttemptRecord>;

/** What the writer puts in `result.json`. */
export type AttemptRecordInput = z.input<typeof AttemptRecord>;

const LimitsRecord = z.object({
  maxAttempts: z.number(),
  executionTimeoutMs: z.number(),
  llmTimeoutMs: z.number(),
  maxTokensPerTurn: z.number(),
  totalTokenBudget: z.number(),
  temperature: z.number(),
  /** Absent in runs written before retries sampled: they retried at `temperature`. */
  retryTemperature: z.number().optional(),
  stagnationThreshold: z.number(),
}).transform((limits) => ({
  ...limits,
  retryTemperature: limits.retryTemperature ?? limits.temperature,
})) satisfies z.ZodType<Limits>;

const ProvenanceRecord = z.object({
  model: z.string(),
  engine: z.string(),
  serverUrl: z.string(),
  factoryVersion: z.string(),
  sandbox: z.enum(["bubblewrap", "sandbox-exec", "none"]),
}) satisfies z.ZodType<RunProvenance>;

/** `run.json`: what ran the run, when it started and the limits it ran with; written before the first attempt. */
export const RunRecord = z.object({
  runId: z.string(),
  startedAt: z.string(),
  limits: LimitsRecord,
  provenance: ProvenanceRecord.optional(),
});

/** What `run.json` holds. */
export type RunRecord = z.output<typeof RunRecord>;

/** `summary.json`: the outcome of a finished run. */
export const SummaryRecord = z.object({
  runId: z.string(),
  task: z.string(),
  language: z.string(),
  status: z.enum(["passed", "failed", "error", "interrupted"]),
  stopReason: z.enum(["passed", "max_attempts", "stagnation", "token_budget", "interrupted", "model_error"]),
  stopDetail: z.string(),
  attempts: z.number(),
  passedOnAttempt: z.number().optional(),
  overruledVerdicts: z.number(),
  tokens: z.object({
    prompt: z.number(),
    completion: z.number(),
    cached: z.number(),
    estimated: z.boolean(),
  }),
  durations: z.object({
    totalMs: z.number(),
    modelMs: z.number(),
    execMs: z.number(),
    orchestrationMs: z.number(),
  }),
  finalScript: z.string().optional(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  limits: LimitsRecord.optional(),
  provenance: ProvenanceRecord.optional(),
}) satisfies z.ZodType<Summary>;

/** One line of `transcript.jsonl`: an event and when it was written. */
export type TranscriptLine = RunEvent & { at: string };

const ModelCallLine = z.object({
  at: z.string().optional(),
  kind: z.literal("model_call"),
  attempt: z.number(),
  persona: z.enum(["coder", "sheriff"]),
  messages: z.array(z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string() })),
  reply: z.object({
    text: z.string(),
    finishReason: FinishReason,
    usage: UsageRecord,
    ms: z.number(),
    timings: z.object({
      prefillMs: z.number(),
      decodeMs: z.number(),
      draftTokens: z.number().optional(),
      draftAccepted: z.number().optional(),
    }).optional(),
  }).optional(),
  error: z.string().optional(),
});
const OtherLine = z.looseObject({ at: z.string().optional(), kind: z.string() });

/**
 * Parses one transcript line's JSON value. `model_call` lines, which the reader takes prompts, replies
 * and token counts from, are checked field by field; other events only for their `kind`.
 */
export function parseTranscriptLine(value: unknown): RunEvent | undefined {
  const call = ModelCallLine.safeParse(value);
  if (call.success) return call.data;
  const other = OtherLine.safeParse(value);
  if (!other.success || other.data.kind === "model_call") return undefined;
  return other.data as RunEvent;
}
