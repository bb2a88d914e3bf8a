/**
 * Number formatting shared by the benchmark's writers. Pure.
 *
 * @module
 */

/** `0.5833` as `58%`; `–` for NaN. */
export function percent(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value * 100)}%` : "–";
}

/** Milliseconds as `85 ms` below a second, else `12.3 s`; `–` for NaN. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A number with `digits` decimals; `–` for NaN. */
export function fixed(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "–";
}
