/**
 * `results.svg`: pass rate per arm, and the mean time per task split into prefill, decode, program
 * runs and overhead. Self-contained: no scripts, fonts, styles or links from outside. Pure.
 *
 * @module
 */
import type { BenchMeta } from "./meta.ts";
import type { ArmSummary } from "./summary.ts";
import { duration, percent } from "./format.ts";
import { escapeHtml } from "../render/html.ts";

const WIDTH = 860;
const ROW = 34;
const TOP = 78;
const LABEL = 110;
const PASS_WIDTH = 200;
const TIME_X = LABEL + PASS_WIDTH + 100;
const TIME_WIDTH = WIDTH - TIME_X - 70;

/** The parts of the time bar, in order, with their colours. */
const PARTS = [
  { key: "prefillMs", label: "prefill", color: "#4e79a7" },
  { key: "decodeMs", label: "decode", color: "#f28e2b" },
  { key: "waitMs", label: "model wait", color: "#bab0ac" },
  { key: "execMs", label: "program runs", color: "#59a14f" },
  { key: "overheadMs", label: "overhead", color: "#e15759" },
] as const;

/** The SVG document. */
export function svgReport(meta: BenchMeta, summaries: readonly ArmSummary[]): string {
  const height = TOP + summaries.length * ROW + 64;
  const maxMs = Math.max(1, ...summaries.map(totalOf));
  const body = [
    text(16, 26, `factory benchmark: ${meta.suite}, ${meta.selection}`, 16, "bold"),
    text(
      16,
      46,
      `${meta.model} · ${meta.limits.maxAttempts} attempts max · concurrency ${meta.concurrency}`,
      11,
    ),
    text(LABEL, TOP - 10, "pass rate (hidden ground truth)", 12, "bold"),
    text(TIME_X, TOP - 10, `mean time per task (axis to ${duration(maxMs)})`, 12, "bold"),
    ...summaries.flatMap((s, i) => row(s, TOP + i * ROW, maxMs)),
    ...legend(TOP + summaries.length * ROW + 22),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ` +
    `font-family="sans-serif">`,
    `<title>${escapeHtml(`factory benchmark: ${meta.suite}, ${meta.selection}`)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...body,
    "</svg>",
  ].join("\n") + "\n";
}

function totalOf(s: ArmSummary): number {
  const m = s.meanSplit;
  return [m.prefillMs, m.decodeMs, m.waitMs, m.execMs, m.overheadMs].reduce(
    (a, b) => a + (Number.isFinite(b) ? b : 0),
    0,
  );
}

function row(s: ArmSummary, y: number, maxMs: number): string[] {
  const barY = y + 6;
  const pass = Number.isFinite(s.passRate) ? s.passRate : 0;
  const parts: string[] = [
    text(16, y + 21, s.arm, 13),
    rect(LABEL, barY, PASS_WIDTH, 20, "#e8e8e8"),
    rect(LABEL, barY, PASS_WIDTH * pass, 20, "#4e79a7"),
    text(LABEL + PASS_WIDTH + 6, y + 21, `${percent(s.passRate)} (${s.passed}/${s.tasks})`, 12),
  ];
  let x = TIME_X;
  for (const part of PARTS) {
    const ms = s.meanSplit[part.key];
    const w = Number.isFinite(ms) ? (TIME_WIDTH * ms) / maxMs : 0;
    parts.push(rect(x, barY, w, 20, part.color));
    x += w;
  }
  parts.push(text(x + 6, y + 21, duration(totalOf(s)), 12));
  return parts;
}

function legend(y: number): string[] {
  let x = TIME_X;
  return PARTS.flatMap((part) => {
    const item = [rect(x, y - 10, 12, 12, part.color), text(x + 16, y, part.label, 11)];
    x += 30 + part.label.length * 6.5;
    return item;
  });
}

/** A filled rectangle, coordinates rounded to a tenth. */
export function rect(x: number, y: number, w: number, h: number, fill: string): string {
  return `<rect x="${r(x)}" y="${r(y)}" width="${r(Math.max(0, w))}" height="${r(h)}" fill="${fill}"/>`;
}

/** Escaped text at a point. */
export function text(x: number, y: number, content: string, size: number, weight = "normal"): string {
  return `<text x="${r(x)}" y="${r(y)}" font-size="${size}" font-weight="${weight}" fill="#222222">` +
    `${escapeHtml(content)}</text>`;
}

function r(n: number): string {
  return String(Math.round(n * 10) / 10);
}
