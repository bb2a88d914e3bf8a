/**
 * Waiting for a server to become ready: poll with back-off while racing the process's exit, so a
 * crash ends the wait at once, and an overall timeout ends a hang.
 *
 * @module
 */

import { delay } from "../host/delay.ts";
import type { Readiness } from "./engines/engine.ts";
import type { ExitStatus } from "./process_group.ts";

/** Options of {@linkcode waitForReady}. */
export interface ReadinessOptions {
  /** One probe; it must give up when its signal aborts. */
  probe: (signal: AbortSignal) => Promise<Readiness>;
  /** Resolves when the process exits (our own child). */
  exited?: Promise<ExitStatus>;
  /** Checked before each probe, for a process that is not our child. */
  alive?: () => boolean;
  /** How long to wait in total; generous, since a first start may download a model. @default {600_000} */
  timeoutMs?: number;
  /** First pause between probes; each pause is 1.5 times the last. @default {50} */
  initialDelayMs?: number;
  /** @default {1_000} */
  maxDelayMs?: number;
  /** Aborting kills nothing here: the promise rejects with the reason, and the caller cleans up. */
  signal?: AbortSignal;
  /** Called after each probe that was not ready. */
  onWait?: (last: Readiness, elapsedMs: number) => void;
}

/** How the wait ended. */
export type ReadinessOutcome =
  | { kind: "ready"; ms: number }
  | { kind: "exited"; status?: ExitStatus; last: Readiness; ms: number }
  /** The server said it will never be ready; `last` is that answer. */
  | { kind: "failed"; last: Readiness; ms: number }
  | { kind: "timed_out"; last: Readiness; ms: number };

/** Polls until ready, exited, failed or timed out. Rejects only when `signal` aborts. */
export async function waitForReady(options: ReadinessOptions): Promise<ReadinessOutcome> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  const timeoutMs = options.timeoutMs ?? 600_000;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  let status: ExitStatus | undefined;
  let gone = false;
  options.exited?.then((s) => {
    status = s;
    gone = true;
    stop.abort();
  });
  let last: Readiness = { kind: "down", detail: "not probed yet" };
  let pause = options.initialDelayMs ?? 50;
  try {
    while (true) {
      options.signal?.throwIfAborted();
      if (gone || (options.alive && !options.alive())) return { kind: "exited", status, last, ms: elapsed() };
      if (elapsed() >= timeoutMs) return { kind: "timed_out", last, ms: elapsed() };
      const answer = await options.probe(stop.signal).catch(() => undefined);
      if (answer?.kind === "ready" && !gone) return { kind: "ready", ms: elapsed() };
      if (answer?.kind === "failed") return { kind: "failed", last: answer, ms: elapsed() };
      if (answer) {
        last = answer;
        options.onWait?.(last, elapsed());
      }
      await delay(Math.min(pause, Math.max(0, timeoutMs - elapsed())), stop.signal).catch(() => {});
      pause = Math.min(pause * 1.5, options.maxDelayMs ?? 1_000);
    }
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
}
