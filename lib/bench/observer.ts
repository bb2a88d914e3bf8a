/**
 * Watches one run of the loop for the benchmark: every model call with its usage and server timings,
 * the time spent running programs and checks (by wrapping the executor), and the wall-clock span of
 * each attempt as seen from the event stream.
 *
 * @module
 */
import type { ChatMessage, ChatModel, EventSink, FinishReason, Persona, RunEvent } from "../types.ts";
import type { Executor } from "../types.ts";

/** One model call as the benchmark keeps it. */
export interface CallObservation {
  /** The attempt the call belongs to (1 for the first). */
  attempt: number;
  /** Who made the call: the Coder or the Sheriff. */
  persona: Persona;
  /** Prompt tokens, cached ones included. */
  promptTokens: number;
  /** Tokens the model wrote. */
  completionTokens: number;
  /** Prompt tokens served from the server's cache. */
  cachedTokens: number;
  /** Server-side prompt processing time (llama-server `timings.prompt_ms`), 0 when not reported. */
  prefillMs: number;
  /** Server-side generation time (llama-server `timings.predicted_ms`), 0 when not reported. */
  decodeMs: number;
  /** Whether the server reported timings. */
  timed: boolean;
  /** Wall time of the call as the client saw it. */
  ms: number;
  /** Why the model stopped writing. */
  finishReason: FinishReason;
  /** Speculative decoding: tokens drafted for the reply (present only when the server drafted). */
  draftTokens?: number;
  /** Speculative decoding: drafted tokens the model accepted. */
  draftAccepted?: number;
  /** Why the call failed (a timeout, a server error); the call then has no tokens or timings. */
  error?: string;
}

/** Time per attempt, in milliseconds. */
export interface AttemptTime {
  /** From the end of the previous attempt (or the run's start) to this attempt's verdict; the last attempt also gets the time up to the stop. */
  wallMs: number;
  /** Running the program and its checks. */
  execMs: number;
}

/** Collects what one run does. Use `sink`, `executor` and `model` for the run's sink, executor and model. */
export class RunObserver {
  readonly calls: CallObservation[] = [];
  /** The messages of each call, kept for the speed probe (not written to results). */
  readonly messages: { persona: Persona; attempt: number; messages: ChatMessage[] }[] = [];
  readonly executor: Executor;
  readonly sink: EventSink;
  /** The run's model, timed, so failed calls count as model time too. */
  readonly model: ChatModel;
  readonly #now: () => number;
  #lastCallMs = 0;
  readonly #times = new Map<number, AttemptTime>();
  #current = 0;
  #mark: number | undefined;

  constructor(base: Executor, model: ChatModel, now: () => number = () => performance.now()) {
    this.#now = now;
    this.sink = (event) => this.#observe(event);
    this.model = {
      chat: async (request) => {
        const start = this.#now();
        try {
          return await model.chat(request);
        } finally {
          this.#lastCallMs = this.#now() - start;
        }
      },
    };
    this.executor = {
      execute: (program, options) => this.#timed(() => base.execute(program, options)),
      runChecks: (checks, result, context) => this.#timed(() => base.runChecks(checks, result, context)),
    };
  }

  /** The time of attempt `n` (zeros when it never started). */
  attemptTime(n: number): AttemptTime {
    return { ...(this.#times.get(n) ?? { wallMs: 0, execMs: 0 }) };
  }

  #time(n: number): AttemptTime {
    let time = this.#times.get(n);
    if (!time) this.#times.set(n, time = { wallMs: 0, execMs: 0 });
    return time;
  }

  async #timed<T>(work: () => Promise<T>): Promise<T> {
    const start = this.#now();
    try {
      return await work();
    } finally {
      this.#time(this.#current).execMs += this.#now() - start;
    }
  }

  #observe(event: RunEvent): void {
    switch (event.kind) {
      case "run_start":
        this.#mark = this.#now();
        break;
      case "coder_start":
        this.#current = event.attempt;
        break;
      case "model_call":
        this.#call(event);
        break;
      case "verdict":
      case "stop":
        this.#closeSpan(event.kind === "verdict" ? event.attempt : this.#current);
        break;
    }
  }

  #closeSpan(n: number): void {
    const now = this.#now();
    if (this.#mark !== undefined && n > 0) this.#time(n).wallMs += now - this.#mark;
    this.#mark = now;
  }

  #call(event: ModelCallEvent): void {
    this.messages.push({ persona: event.persona, attempt: event.attempt, messages: event.messages });
    this.calls.push(callObservation(event, this.#lastCallMs));
  }
}

/** The `model_call` event. */
export type ModelCallEvent = Extract<RunEvent, { kind: "model_call" }>;

/** A call as kept: from the reply when there is one, else a failed call with its measured time. */
export function callObservation(event: ModelCallEvent, failedMs: number): CallObservation {
  const { attempt, persona, reply } = event;
  if (!reply) {
    return {
      attempt,
      persona,
      promptTokens: 0,
      completionTokens: 0,
      cachedTokens: 0,
      prefillMs: 0,
      decodeMs: 0,
      timed: false,
      ms: failedMs,
      finishReason: "other",
      error: event.error ?? "no reply",
    };
  }
  return {
    attempt,
    persona,
    promptTokens: reply.usage.promptTokens,
    completionTokens: reply.usage.completionTokens,
    cachedTokens: reply.usage.cachedTokens,
    prefillMs: reply.timings?.prefillMs ?? 0,
    decodeMs: reply.timings?.decodeMs ?? 0,
    timed: reply.timings !== undefined,
    ms: reply.ms,
    finishReason: reply.finishReason,
    ...(reply.timings?.draftTokens === undefined
      ? {}
      : { draftTokens: reply.timings.draftTokens, draftAccepted: reply.timings.draftAccepted ?? 0 }),
  };
}
