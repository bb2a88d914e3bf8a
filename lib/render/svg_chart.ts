/**
 * Inline SVG charts: a stacked bar of where a run's time went, and horizontal bars for comparing
 * values. Text uses `currentColor`, so the charts read on light and dark backgrounds. Pure.
 *
 * @module
 */
import type { Durations } from "../types.ts";
import { joinHtml, markup, type SafeHtml } from "./html.ts";
import { seconds } from "./format.ts";

/** One coloured part of a stacked bar or one bar. */
export interface ChartSegment {
  label: string;
  value: number;
  color: string;
  /** Shown after the label; defaults to the value. */
  note?: string;
}

/** Colours that read on both light and dark backgrounds. */
export const CHART_COLORS = {
  model: "#4e79a7",
  programs: "#f28e2b",
  orchestration: "#8c8c8c",
  pass: "#2da44e",
  fail: "#cf222e",
} as const;

/** The parts of a run's time: model, programs, orchestration. */
export function timeSegments(durations: Durations): ChartSegment[] {
  return [
    { label: "model", value: durations.modelMs, color: CHART_COLORS.model, note: seconds(durations.modelMs) },
    {
      label: "programs",
      value: durations.execMs,
      color: CHART_COLORS.programs,
      note: seconds(durations.execMs),
    },
    {
      label: "orchestration",
      value: durations.orchestrationMs,
      color: CHART_COLORS.orchestration,
      note: seconds(durations.orchestrationMs),
    },
  ];
}

/** A horizontal stacked bar with a legend underneath; `title` names it for screen readers. */
export function stackedBar(segments: readonly ChartSegment[], title: string, width = 480): SafeHtml {
  const total = segments.reduce((sum, s) => sum + Math.max(0, s.value), 0);
  const barHeight = 18;
  let x = 0;
  const rects = segments.map((s) => {
    const w = total > 0 ? (Math.max(0, s.value) / total) * width : 0;
    const tip = `${s.label}: ${s.note ?? String(s.value)}`;
    const rect = markup`<rect x="${x.toFixed(1)}" y="0" width="${
      w.toFixed(1)
    }" height="${barHeight}" fill="${s.color}"><title>${tip}</title></rect>`;
    x += w;
    return rect;
  });
  const legend = segments.map((s, i) => {
    const lx = i * Math.floor(width / segments.length);
    const share = total > 0 ? Math.round((Math.max(0, s.value) / total) * 100) : 0;
    const text = `${s.label} ${s.note ?? String(s.value)} (${share}%)`;
    return markup`<rect x="${lx}" y="${barHeight + 8}" width="10" height="10" fill="${s.color}"/><text x="${
      lx + 14
    }" y="${barHeight + 17}" font-size="11" fill="currentColor">${text}</text>`;
  });
  const height = barHeight + 24;
  const frameRect =
    markup`<rect x="0" y="0" width="${width}" height="${barHeight}" fill="none" stroke="currentColor" stroke-opacity="0.3"/>`;
  return svg(width, height, title, [frameRect, ...rects, ...legend]);
}

/** Horizontal bars, one per row, scaled to `max` (default: the largest value). */
export function barChart(
  rows: readonly ChartSegment[],
  title: string,
  options: { max?: number; width?: number; labelWidth?: number } = {},
): SafeHtml {
  const width = options.width ?? 520;
  const labelWidth = options.labelWidth ?? 200;
  const max = options.max ?? Math.max(1e-9, ...rows.map((r) => r.value));
  const barArea = width - labelWidth - 70;
  const rowHeight = 20;
  const bars = rows.map((r, i) => {
    const y = i * rowHeight;
    const w = Math.max(0, Math.min(1, r.value / max)) * barArea;
    const label = markup`<text x="${labelWidth - 6}" y="${
      y + 14
    }" font-size="11" text-anchor="end" fill="currentColor">${r.label}</text>`;
    const bar = markup`<rect x="${labelWidth}" y="${y + 3}" width="${w.toFixed(1)}" height="${
      rowHeight - 6
    }" fill="${r.color}"/>`;
    const value = markup`<text x="${(labelWidth + w + 4).toFixed(1)}" y="${
      y + 14
    }" font-size="11" fill="currentColor">${r.note ?? String(r.value)}</text>`;
    return joinHtml([label, bar, value]);
  });
  const height = Math.max(rowHeight, rows.length * rowHeight);
  return svg(width, height, title, bars);
}

function svg(width: number, height: number, title: string, parts: readonly SafeHtml[]): SafeHtml {
  return markup`<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" style="max-width:100%;height:auto"><title>${title}</title>${
    joinHtml(parts)
  }</svg>`;
}
