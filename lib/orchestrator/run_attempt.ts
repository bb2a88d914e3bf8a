/**
 * One attempt: the Coder writes, the program runs, the checks run, the Sheriff reviews, and the facts
 * decide. A model failure or an interrupt ends the attempt early; whatever was done is kept.
 *
 * @module
 */
import type {
  Attempt,
  ChatMessage,
  ChatModel,
  Draft,
  ExecResult,
  Limits,
  ModelReply,
  Persona,
  SheriffOpinion,
  Task,
} from "../types.ts";
import { ModelError } from "../errors.ts";
import type { RunStore } from "../store/run_dir.ts";
import type { RunLedger } from "./run_ledger.ts";
import type { Executor } from "../types.ts";
import { budgetStop, type Stop, turnTimeCapMs, turnTokens } from "./stop_conditions.ts";
import { decide, factFailures } from "./decide.ts";
import { errorSignature } from "./stagnation.ts";
import { coderTurn } from "../agents/coder.ts";
import { sheriffTurn } from "../agents/sheriff.ts";
import { coderMessages, type Review, sheriffMessages } from "../agents/prompts.ts";
import { estimateMessagesTokens as estimateMessages } from "../llm/usage.ts";

/** What an attempt needs from the run. */
export interface AttemptDeps {
  model: ChatModel;
  limits: Limits;
  signal?: AbortSignal;
  store: RunStore;
  ctx: RunLedger;
  executor: Executor;
  /** False for a run without a Sheriff (facts alone decide). */
  useSheriff: boolean;
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
  /** The program is the same as the previous attempt's. */
  unchanged?: boolean;
}

/** Runs attempt `n`. Never throws for a model failure or an interrupt. */
export async function runAttempt(
  task: Task,
  n: number,
  history: readonly Attempt[],
  deps: AttemptDeps,
): Promise<AttemptOutcome> {
  const progress: Progress = { checks: [], workDir: deps.store.workDir(n), startedAt: deps.ctx.now() };
  try {
    const opinion = await coderRunSheriff(task, n, history, deps, progress);
    if (opinion.stop) {
      return { stop: opinion.stop, attempt: await closeAttempt(n, progress, opinion.sheriff, deps) };
    }
    return { attempt: await closeAttempt(n, progress, opinion.sheriff, deps) };
  } catch (error) {
    const stop = stopFor(error, deps.signal);
    const reason = stop.reason === "interrupted" ? "the run was interrupted" : stop.detail;
    return { stop, attempt: await closeAttempt(n, progress, { kind: "skipped", reason }, deps) };
  }
}

async function coderRunSheriff(
  task: Task,
  n: number,
  history: readonly Attempt[],
  deps: AttemptDeps,
  progress: Progress,
): Promise<{ sheriff: SheriffOpinion; stop?: Stop }> {
  const { ctx, store, executor, limits, signal } = deps;
  const coderPrompt = estimateMessages(coderMessages(task, history));
  const early = budgetStop(limits, ctx.tokens, coderPrompt);
  if (early) return { sheriff: { kind: "skipped", reason: early.detail }, stop: early };
  const previous = history.at(-1);
  let draft = await coderStep(task, n, history, deps, coderPrompt);
  if (repeats(draft, previous)) {
    // A small model shown its failing program tends to copy it: ask once more, without it to copy.
    const afreshPrompt = estimateMessages(coderMessages(task, history, { afresh: true }));
    if (!budgetStop(limits, ctx.tokens, afreshPrompt)) {
      draft = await coderStep(task, n, history, deps, afreshPrompt, AGAIN);
    }
  }
  progress.draft = draft;
  progress.unchanged = repeats(draft, previous);
  if (draft.kind !== "code") {
    return {
      sheriff: {
        kind: "skipped",
        reason: draft.kind === "truncated" ? "the reply was truncated" : "no code",
      },
    };
  }
  await store.writeScript(n, draft.code, task.language);
  const timeoutMs = limits.executionTimeoutMs;
  const dir = progress.workDir;
  await ctx.emit({ kind: "exec_start", attempt: n, language: task.language, workDir: dir });
  const exec = await ctx.timeExec(() =>
    executor.execute({ language: task.language, code: draft.code, dir }, { timeoutMs, signal })
  );
  progress.exec = exec;
  await ctx.emit({ kind: "exec_done", attempt: n, result: exec });
  const checks = await ctx.timeExec(() =>
    executor.runChecks(task.checks, exec, {
      dir,
      language: task.language,
      timeoutMs,
      signal,
      program: draft.code,
    })
  );
  progress.checks = checks;
  await ctx.emit({ kind: "checks", attempt: n, results: checks });
  if (signal?.aborted) throw signal.reason ?? new DOMException("Aborted", "AbortError");
  if (!deps.useSheriff) return { sheriff: { kind: "skipped", reason: "this run has no Sheriff" } };
  const review = { code: draft.code, exec, checks, failures: factFailures(exec, checks) };
  const sheriffPrompt = estimateMessages(sheriffMessages(task, review));
  const late = budgetStop(limits, ctx.tokens, sheriffPrompt);
  if (late) return { sheriff: { kind: "skipped", reason: late.detail } };
  return { sheriff: await sheriffStep(task, n, review, deps, sheriffPrompt) };
}

/**
 * Options of one model turn, with `max_tokens` cut to what the budget has left, the stall limit and the
 * turn's time cap.
 */
function turnOptions(deps: AttemptDeps, n: number, persona: Persona, promptEstimate: number) {
  const { ctx, limits, signal } = deps;
  const kind = persona === "coder" ? "coder_token" : "sheriff_token";
  const maxTokens = turnTokens(limits, ctx.tokens, promptEstimate);
  return {
    maxTokens,
    temperature: persona === "coder" && n > 1 ? limits.retryTemperature : limits.temperature,
    stallMs: limits.llmTimeoutMs,
    timeoutMs: turnTimeCapMs(limits, maxTokens),
    signal,
    onToken: (text: string) => void ctx.emit({ kind, attempt: n, text }),
    persona,
  };
}

/** Runs one model turn, counting its time and tokens and logging the call, failed or not. */
async function modelTurn<T extends { messages: ChatMessage[] }>(
  deps: AttemptDeps,
  n: number,
  persona: Persona,
  messages: () => ChatMessage[],
  turn: () => Promise<T>,
  replyOf: (value: T) => ModelReply | undefined,
): Promise<T> {
  const { ctx } = deps;
  try {
    const value = await ctx.timeModel(turn);
    const reply = replyOf(value);
    if (reply) ctx.addReply(reply);
    await ctx.emit({ kind: "model_call", attempt: n, persona, messages: value.messages, reply });
    return value;
  } catch (error) {
    await ctx.emit({ kind: "model_call", attempt: n, persona, messages: messages(), error: describe(error) });
    throw error;
  }
}

/** Why the Coder is asked again within an attempt. */
const AGAIN = "the retry sent the failing program again; asking for it written anew";

/** True when `draft` is the program of `previous` again (trailing whitespace aside). */
function repeats(draft: Draft, previous: Attempt | undefined): boolean {
  return draft.kind === "code" && previous?.draft.kind === "code" &&
    draft.code.trim() === previous.draft.code.trim();
}

async function coderStep(
  task: Task,
  n: number,
  history: readonly Attempt[],
  deps: AttemptDeps,
  promptEstimate: number,
  again?: string,
): Promise<Draft> {
  await deps.ctx.emit(
    again ? { kind: "coder_start", attempt: n, again } : { kind: "coder_start", attempt: n },
  );
  const options = turnOptions(deps, n, "coder", promptEstimate);
  const prompt = { afresh: again !== undefined };
  const { draft } = await modelTurn(
    deps,
    n,
    "coder",
    () => coderMessages(task, history, prompt),
    () => coderTurn(deps.model, task, history, options, prompt),
    (value) => value.draft.reply,
  );
  await deps.ctx.emit({ kind: "coder_done", attempt: n, draft });
  return draft;
}

async function sheriffStep(task: Task, n: number, review: Review, deps: AttemptDeps, promptEstimate: number) {
  await deps.ctx.emit({ kind: "sheriff_start", attempt: n });
  const options = turnOptions(deps, n, "sheriff", promptEstimate);
  const { opinion } = await modelTurn(
    deps,
    n,
    "sheriff",
    () => sheriffMessages(task, review),
    () => sheriffTurn(deps.model, task, review, options),
    (value) => (value.opinion.kind === "skipped" ? undefined : value.opinion.reply),
  );
  await deps.ctx.emit({ kind: "sheriff_done", attempt: n, opinion });
  return opinion;
}

/** Decides the attempt, keeps its files and announces the verdict. Undefined when no draft exists. */
async function closeAttempt(
  n: number,
  progress: Progress,
  sheriff: SheriffOpinion,
  deps: AttemptDeps,
): Promise<Attempt | undefined> {
  const { draft, exec, checks, workDir } = progress;
  if (!draft) return undefined;
  const verdict = decide(exec, checks, sheriff, { sheriffRequired: deps.useSheriff });
  const attempt: Attempt = { number: n, draft, exec, checks, sheriff, verdict, workDir, ms: 0 };
  if (progress.unchanged) attempt.unchanged = true;
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
