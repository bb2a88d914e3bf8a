/**
 * One attempt: the Coder writes, the program runs, the checks run, the Sheriff reviews, and the facts
 * decide. A model failure or an interrupt ends the attempt early; whatever was done is kept.
 *
 * @module
 */
import type { Attempt, ChatModel, Draft, ExecResult, Limits, SheriffOpinion, Task } from "../types.ts";
import { ModelError } from "../errors.ts";
import type { RunStore } from "../store/run_dir.ts";
import type { RunContext } from "./run_context.ts";
import type { Executor } from "./executor.ts";
import { budgetStop, type Stop, turnTokens } from "./stop_conditions.ts";
import { decide } from "./decide.ts";
import { errorSignature } from "./stagnation.ts";
import { coderTurn } from "../agents/coder.ts";
import { sheriffTurn } from "../agents/sheriff.ts";
import { coderMessages, sheriffMessages } from "../agents/prompts.ts";
import { estimateMessagesTokens as estimateMessages } from "../llm/usage.ts";

export type { Executor } from "./executor.ts";

/** What an attempt needs from the run. */
export interface AttemptDeps {
  model: ChatModel;
  limits: Limits;
  signal?: AbortSignal;
  store: RunStore;
  ctx: RunContext;
  executor: Executor;
}

/** An attempt's outcome: the attempt (when a draft exists) and a stop (when the run must end now). */
export interface AttemptOutcome {
  attempt?: Attempt;
  stop?: Stop;
}

/** The parts of an attempt done so far. */
interface Progress {
  draft?: Draft;
  exec?: ExecResult;
  checks: Attempt["checks"];
  workDir: string;
  startedAt: number;
}

/** Runs attempt `n`. Never throws for a model failure or an interrupt. */
export async function runAttempt(
  task: Task,
  n: number,
  previous: Attempt | undefined,
  deps: AttemptDeps,
): Promise<AttemptOutcome> {
  const progress: Progress = { checks: [], workDir: deps.store.workDir(n), startedAt: deps.ctx.now() };
  try {
    const opinion = await attemptSteps(task, n, previous, deps, progress);
    if (opinion.stop) return { stop: opinion.stop, attempt: await settle(n, progress, opinion.sheriff, deps) };
    return { attempt: await settle(n, progress, opinion.sheriff, deps) };
  } catch (error) {
    const stop = stopFor(error, deps.signal);
    const reason = stop.reason === "interrupted" ? "the run was interrupted" : stop.detail;
    return { stop, attempt: await settle(n, progress, { kind: "skipped", reason }, deps) };
  }
}

async function attemptSteps(
  task: Task,
  n: number,
  previous: Attempt | undefined,
  deps: AttemptDeps,
  progress: Progress,
): Promise<{ sheriff: SheriffOpinion; stop?: Stop }> {
  const { ctx, store, executor, limits, signal } = deps;
  const coderPrompt = estimateMessages(coderMessages(task, previous));
  const early = budgetStop(limits, ctx.tokens, coderPrompt);
  if (early) return { sheriff: { kind: "skipped", reason: early.detail }, stop: early };
  const draft = await coderStep(task, n, previous, deps, coderPrompt);
  progress.draft = draft;
  if (draft.kind !== "code") {
    return { sheriff: { kind: "skipped", reason: draft.kind === "truncated" ? "the reply was truncated" : "no code" } };
  }
  await store.writeScript(n, draft.code, task.language);
  const timeoutMs = task.timeoutSec !== undefined ? task.timeoutSec * 1000 : limits.executionTimeoutMs;
  const dir = progress.workDir;
  await ctx.emit({ kind: "exec_start", attempt: n, language: task.language, workDir: dir });
  const exec = await ctx.timeExec(() => executor.execute({ language: task.language, code: draft.code, dir }, { timeoutMs, signal }));
  progress.exec = exec;
  await ctx.emit({ kind: "exec_done", attempt: n, result: exec });
  const checks = await ctx.timeExec(() => executor.runChecks(task.checks, exec, { dir, language: task.language, timeoutMs, signal }));
  progress.checks = checks;
  await ctx.emit({ kind: "checks", attempt: n, results: checks });
  if (signal?.aborted) throw signal.reason ?? new DOMException("Aborted", "AbortError");
  const review = { code: draft.code, exec, checks };
  const sheriffPrompt = estimateMessages(sheriffMessages(task, review));
  const late = budgetStop(limits, ctx.tokens, sheriffPrompt);
  if (late) return { sheriff: { kind: "skipped", reason: late.detail } };
  return { sheriff: await sheriffStep(task, n, review, deps, sheriffPrompt) };
}

async function coderStep(
  task: Task,
  n: number,
  previous: Attempt | undefined,
  deps: AttemptDeps,
  promptEstimate: number,
): Promise<Draft> {
  const { ctx, model, limits, signal } = deps;
  await ctx.emit({ kind: "coder_start", attempt: n });
  const options = {
    maxTokens: turnTokens(limits, ctx.tokens, promptEstimate),
    temperature: limits.temperature,
    timeoutMs: limits.llmTimeoutMs,
    signal,
    onToken: (text: string) => void ctx.emit({ kind: "coder_token", attempt: n, text }),
  };
  try {
    const { messages, draft } = await ctx.timeModel(() => coderTurn(model, task, previous, options));
    ctx.addReply(draft.reply);
    await ctx.emit({ kind: "model_call", attempt: n, persona: "coder", messages, reply: draft.reply });
    await ctx.emit({ kind: "coder_done", attempt: n, draft });
    return draft;
  } catch (error) {
    const messages = coderMessages(task, previous);
    await ctx.emit({ kind: "model_call", attempt: n, persona: "coder", messages, error: describe(error) });
    throw error;
  }
}

async function sheriffStep(
  task: Task,
  n: number,
  review: Parameters<typeof sheriffTurn>[2],
  deps: AttemptDeps,
  promptEstimate: number,
): Promise<SheriffOpinion> {
  const { ctx, model, limits, signal } = deps;
  await ctx.emit({ kind: "sheriff_start", attempt: n });
  const options = {
    maxTokens: turnTokens(limits, ctx.tokens, promptEstimate),
    temperature: limits.temperature,
    timeoutMs: limits.llmTimeoutMs,
    signal,
    onToken: (text: string) => void ctx.emit({ kind: "sheriff_token", attempt: n, text }),
  };
  try {
    const { messages, opinion } = await ctx.timeModel(() => sheriffTurn(model, task, review, options));
    if (opinion.kind !== "skipped") {
      ctx.addReply(opinion.reply);
      await ctx.emit({ kind: "model_call", attempt: n, persona: "sheriff", messages, reply: opinion.reply });
    }
    await ctx.emit({ kind: "sheriff_done", attempt: n, opinion });
    return opinion;
  } catch (error) {
    const messages = sheriffMessages(task, review);
    await ctx.emit({ kind: "model_call", attempt: n, persona: "sheriff", messages, error: describe(error) });
    throw error;
  }
}

/** Decides the attempt, keeps its files and announces the verdict. Undefined when no draft exists. */
async function settle(
  n: number,
  progress: Progress,
  sheriff: SheriffOpinion,
  deps: AttemptDeps,
): Promise<Attempt | undefined> {
  const { draft, exec, checks, workDir } = progress;
  if (!draft) return undefined;
  const verdict = decide(exec, checks, sheriff);
  const attempt: Attempt = { number: n, draft, exec, checks, sheriff, verdict, workDir, ms: 0 };
  attempt.signature = errorSignature(attempt);
  attempt.ms = deps.ctx.now() - progress.startedAt;
  await deps.store.writeAttempt(attempt);
  await deps.ctx.emit({ kind: "verdict", attempt: n, verdict });
  return attempt;
}

/** Maps what a turn threw to a stop; anything unexpected is rethrown as the bug it is. */
function stopFor(error: unknown, signal: AbortSignal | undefined): Stop {
  if (signal?.aborted || (error instanceof DOMException && error.name === "AbortError")) {
    return { reason: "interrupted", detail: "Interrupted by the user" };
  }
  if (error instanceof ModelError) return { reason: "model_error", detail: error.message };
  throw error;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
