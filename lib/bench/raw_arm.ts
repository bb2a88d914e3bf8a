/**
 * The `raw` arm: the model asked plainly, as a person would ask a chat model. One user message (the
 * task's plain prompt), no system prompt, no factory framing; the reply's first code block is taken as it
 * is and judged on the same hidden ground truth. Nothing is run before judging, and nothing is retried.
 *
 * @module
 */
import { join } from "node:path";
import type { Attempt, ChatMessage, ChatModel, Draft, Limits, ModelReply, RunResult } from "../types.ts";
import { ModelError } from "../errors.ts";
import { turnTimeCapMs } from "../orchestrator/stop_conditions.ts";
import type { BenchTask } from "./bench_task.ts";
import type { Judge, TruthResult } from "./ground_truth.ts";
import { callObservation } from "./observer.ts";
import { type BenchRecord, buildRecord } from "./record.ts";

/** The first fenced block of `text`, as it is (any tag), or undefined when there is none. */
export function firstCodeBlock(text: string): string | undefined {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((line) => /^ {0,3}(`{3,}|~{3,})/.test(line));
  if (start === -1) return undefined;
  const marker = /^ {0,3}(`{3,}|~{3,})/.exec(lines[start])![1];
  const end = lines.findIndex((line, i) =>
    i > start && new RegExp(`^ {0,3}${marker[0]}{${marker.length},}[ \\t]*$`).test(line)
  );
  const code = lines.slice(start + 1, end === -1 ? lines.length : end).join("\n").replace(/\s+$/, "");
  return code.trim() === "" ? undefined : `${code}\n`;
}

/** The raw arm's one message. */
export function rawMessages(bench: BenchTask): ChatMessage[] {
  return [{ role: "user", content: bench.plainPrompt }];
}

/** What a raw run needs. */
export interface RawRunOptions {
  model: ChatModel;
  modelName: string;
  limits: Limits;
  judge: Judge;
  /** The reply is kept as `<runsDir>/raw/<task>.md`. */
  runsDir: string;
  signal?: AbortSignal;
  now: () => number;
}

/** Runs `bench` in the raw arm; undefined when interrupted. */
export async function runRaw(
  bench: BenchTask,
  options: RawRunOptions,
): Promise<{ record: BenchRecord; prompt: ChatMessage[] } | undefined> {
  const { limits, now } = options;
  const messages = rawMessages(bench);
  const started = now();
  let reply: ModelReply | undefined;
  let error: string | undefined;
  try {
    reply = await options.model.chat({
      messages,
      maxTokens: limits.maxTokensPerTurn,
      temperature: limits.temperature,
      stallMs: limits.llmTimeoutMs,
      timeoutMs: turnTimeCapMs(limits, limits.maxTokensPerTurn),
      signal: options.signal,
    });
  } catch (caught) {
    if (options.signal?.aborted || !(caught instanceof ModelError)) {
      if (options.signal?.aborted) return undefined;
      throw caught;
    }
    error = caught.message;
  }
  const callMs = now() - started;
  const truths = new Map<number, TruthResult>();
  const draft = reply ? rawDraft(reply) : undefined;
  if (draft?.kind === "code") {
    const program = { code: draft.code, language: bench.task.language };
    truths.set(
      1,
      await options.judge(bench.truth, program, {
        timeoutMs: limits.executionTimeoutMs,
        signal: options.signal,
      }),
    );
  }
  if (options.signal?.aborted) return undefined;
  if (reply) await keepReply(options.runsDir, bench, reply.text);
  const call = callObservation(
    { kind: "model_call", attempt: 1, persona: "coder", messages, reply, error },
    callMs,
  );
  const result = rawResult(bench, draft, truths.get(1), error, now() - started);
  if (reply) {
    const { promptTokens, completionTokens, cachedTokens, estimated } = reply.usage;
    result.tokens = { prompt: promptTokens, completion: completionTokens, cached: cachedTokens, estimated };
  }
  const record = buildRecord({
    suite: bench.suite,
    taskId: bench.id,
    arm: "raw",
    model: options.modelName,
    task: { ...bench.task, checks: {} },
    result,
    calls: [call],
    times: () => ({ wallMs: now() - started, execMs: 0 }),
    truths,
    wallMs: now() - started,
  });
  return { record, prompt: messages };
}

function rawDraft(reply: ModelReply): Draft {
  const code = firstCodeBlock(reply.text);
  return code === undefined ? { kind: "no_code", reply } : { kind: "code", code, reply };
}

/** A run result for the raw arm: one attempt (when the model answered), passed when the truth passes. */
function rawResult(
  bench: BenchTask,
  draft: Draft | undefined,
  truth: TruthResult | undefined,
  error: string | undefined,
  ms: number,
): RunResult {
  const passed = truth?.passed ?? false;
  const attempts: Attempt[] = draft === undefined ? [] : [{
    number: 1,
    draft,
    checks: [],
    sheriff: { kind: "skipped", reason: "the raw arm has no Sheriff" },
    verdict: { passed, overruled: false, reasons: passed ? [] : [truth?.detail ?? "no code block"] },
    workDir: "",
    ms,
  }];
  return {
    runId: `raw-${bench.id}`,
    task: bench.task,
    status: error ? "error" : passed ? "passed" : "failed",
    stopReason: error ? "model_error" : passed ? "passed" : "max_attempts",
    stopDetail: error ?? (passed ? "The reply's code passes" : "The reply's code does not pass"),
    attempts,
    tokens: { prompt: 0, completion: 0, cached: 0, estimated: false },
    durations: { totalMs: ms, modelMs: ms, execMs: 0, orchestrationMs: 0 },
  };
}

async function keepReply(runsDir: string, bench: BenchTask, text: string): Promise<void> {
  const dir = join(runsDir, "raw");
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(join(dir, `${bench.task.name}.md`), text);
}
