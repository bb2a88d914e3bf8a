/**
 * `results.svg` of a `--speculative` run: per speed arm, the Coder's decode speed on first turns and on
 * retry turns, and the median wall time to a passing program. Self-contained, like `svg.ts`. Pure.
 *
 * @module
 */
import type { BenchMeta } from "./meta.ts";
import type { SpeedSummary } from "./speed_summary.ts";
import { duration } from "./format.ts";
import { rect, text } from "./svg.ts";
import { escapeHtml } from "../render/html.ts";

const WIDTH = 860;
const ROW = 44;
const TOP = 84;
const LABEL = 150;
const RATE_WIDTH = 300;
const WALL_X = LABEL + RATE_WIDTH + 90;
const WALL_WIDTH = WIDTH - WALL_X - 80;
const COLORS = { first: "#4e79a7", retry: "#f28e2b", wall: "#59a14f" } as const;

/** The SVG document. */
export function speedSvgReport(meta: BenchMeta, summaries: readonly SpeedSummary[]): string {
  const title = `factory benchmark: ${meta.suite}, ${meta.selection}, speculative decoding`;
  const height = TOP + summaries.length * ROW + 56;
  const maxRate = Math.max(
    1,
    ...summaries.flatMap((s) => [s.coderFirst.perSec, s.coderRetry.perSec].filter(isFinite)),
  );
  const maxWall = Math.max(1, ...summaries.map((s) => s.passWallMedianMs).filter(isFinite));
  const body = [
    text(16, 26, title, 16, "bold"),
    text(
      16,
      46,
      `${meta.model} · ${meta.limits.maxAttempts} attempts max · temperature ${meta.limits.temperature}`,
      11,
    ),
    text(LABEL, TOP - 12, "Coder decode tokens/s: first turns, retry turns", 12, "bold"),
    text(WALL_X, TOP - 12, "median wall time to PASS", 12, "bold"),
    ...summaries.flatMap((s, i) => row(s, TOP + i * ROW, maxRate, maxWall)),
    rect(LABEL, TOP + summaries.length * ROW + 14, 12, 12, COLORS.first),
    text(LABEL + 16, TOP + summaries.length * ROW + 24, "first turns", 11),
    rect(LABEL + 100, TOP + summaries.length * ROW + 14, 12, 12, COLORS.retry),
    text(LABEL + 116, TOP + summaries.length * ROW + 24, "retry turns", 11),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ` +
    `font-family="sans-serif">`,
    `<title>${escapeHtml(title)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...body,
    "</svg>",
  ].join("\n") + "\n";
}

function row(s: SpeedSummary, y: number, maxRate: number, maxWall: number): string[] {
  const bar = (
    value: number,
    max: number,
    width: number,
  ) => (Number.isFinite(value) ? (width * value) / max : 0);
  const first = bar(s.coderFirst.perSec, maxRate, RATE_WIDTH);
  const retry = bar(s.coderRetry.perSec, maxRate, RATE_WIDTH);
  const wall = bar(s.passWallMedianMs, maxWall, WALL_WIDTH);
  const fmt = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : "–");
  return [
    text(16, y + 24, s.label, 13),
    rect(LABEL, y + 4, first, 16, COLORS.first),
    text(LABEL + first + 4, y + 16, fmt(s.coderFirst.perSec), 11),
    rect(LABEL, y + 22, retry, 16, COLORS.retry),
    text(LABEL + retry + 4, y + 34, fmt(s.coderRetry.perSec), 11),
    rect(WALL_X, y + 10, wall, 20, COLORS.wall),
    text(WALL_X + wall + 6, y + 25, `${duration(s.passWallMedianMs)} (${s.passed}/${s.tasks} pass)`, 12),
  ];
}
