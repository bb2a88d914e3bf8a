/**
 * The bookkeeping of one run: ordered event emission, token totals and the model/execution clocks.
 * Kept apart from the loop so the loop reads like the specification.
 *
 * @module
 */
import type { EventSink, ModelReply, RunEvent, TokenTotals } from "../types.ts";
import { addUsage, NO_TOKENS } from "../host/token_totals.ts";

/** Mutable counters of a run in progress. */
export class RunLedger {
  tokens: TokenTotals = NO_TOKENS;
  modelMs = 0;
  execMs = 0;
  readonly startedAt: number;
  readonly now: () => number;
  #queue: Promise<void> = Promise.resolve();
  readonly #sinks: EventSink[];

  constructor(sinks: EventSink[], now: () => number) {
    this.#sinks = sinks;
    this.now = now;
    this.startedAt = now();
  }

  /** Emits an event to every sink, in order, even when called without awaiting (streamed tokens). */
  emit(event: RunEvent): Promise<void> {
    this.#queue = this.#queue.then(async () => {
      for (const sink of this.#sinks) await sink(event);
    });
    return this.#queue;
  }

  /** Counts a finished model call. */
  addReply(reply: ModelReply): void {
    this.tokens = addUsage(this.tokens, reply.usage);
  }

  /** Runs a model call, adding its wall time (failed calls too) to the model clock. */
  async timeModel<T>(work: () => Promise<T>): Promise<T> {
    const start = this.now();
    try {
      return await work();
    } finally {
      this.modelMs += this.now() - start;
    }
  }

  /** Runs `work`, adding its wall time to the execution clock. */
  async timeExec<T>(work: () => Promise<T>): Promise<T> {
    const start = this.now();
    try {
      return await work();
    } finally {
      this.execMs += this.now() - start;
    }
  }

  /** Total, model, execution and orchestration time so far. */
  durations() {
    const totalMs = this.now() - this.startedAt;
    return {
      totalMs,
      modelMs: this.modelMs,
      execMs: this.execMs,
      orchestrationMs: Math.max(0, totalMs - this.modelMs - this.execMs),
    };
  }
}
