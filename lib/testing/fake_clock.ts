/**
 * A clock that moves only when told to, for code that takes its clock as an option
 * (`now: () => number` or `now: () => Date`).
 *
 * @module
 */

/** A settable clock in epoch milliseconds. */
export interface FakeClock {
  /** The current time in epoch milliseconds; each read then moves the clock on by `stepMs`. */
  now(): number;
  /** The current time as a `Date`; moves the clock on like `now()`. */
  date(): Date;
  /** Moves the clock on by `ms` milliseconds. */
  advance(ms: number): void;
  /** Sets the clock to `ms` epoch milliseconds. */
  set(ms: number): void;
}

/** Options of {@linkcode fakeClock}. */
export interface FakeClockOptions {
  /** How far every read moves the clock on, so durations measured with it are never 0. @default {0} */
  stepMs?: number;
}

/**
 * A clock starting at `start` (epoch milliseconds, or a `Date`). Pass `clock.now` where an option
 * asks for `() => number` and `clock.date` where it asks for `() => Date`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fakeClock } from "@factory/factory/testing";
 *
 * const clock = fakeClock(Date.UTC(2026, 0, 1), { stepMs: 10 });
 * const before = clock.now();
 * clock.advance(1_000);
 * assert.equal(clock.now() - before, 1_010);
 * ```
 */
export function fakeClock(start: number | Date = 0, options: FakeClockOptions = {}): FakeClock {
  let time = typeof start === "number" ? start : start.getTime();
  const step = options.stepMs ?? 0;
  if (!Number.isFinite(time) || !Number.isFinite(step) || step < 0) {
    throw new RangeError(`fakeClock: bad start ${time} or stepMs ${step}`);
  }
  const read = () => {
    const value = time;
    time += step;
    return value;
  };
  return {
    now: read,
    date: () => new Date(read()),
    advance(ms) {
      time += ms;
    },
    set(ms) {
      time = ms;
    },
  };
}
