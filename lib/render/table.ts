/**
 * One table in three formats (HTML, Markdown, aligned plain text), for comparisons and benchmark
 * results. Every cell is escaped. Pure.
 *
 * @module
 */
import { type HtmlValue, markup, type SafeHtml } from "./html.ts";
import { escapeMarkdown } from "./markdown.ts";

/**
 * An HTML table; every column but the first is right-aligned (numbers) unless `numeric` is false.
 * A cell may be SafeHtml (a badge).
 */
export function htmlTable(
  columns: readonly string[],
  rows: readonly (readonly HtmlValue[])[],
  numeric = true,
): SafeHtml {
  return markup`<table class="fx-table"><tr>${columns.map((c) => markup`<th>${c}</th>`)}</tr>${
    rows.map((r) =>
      markup`<tr>${r.map((c, i) => markup`<td class="${i > 0 && numeric ? "fx-num" : ""}">${c}</td>`)}</tr>`
    )
  }</table>`;
}

/** A Markdown table with every cell escaped. */
export function markdownTable(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${columns.map(escapeMarkdown).join(" | ")} |`,
    `|${columns.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.map(escapeMarkdown).join(" | ")} |`),
  ].join("\n");
}

/** A plain-text table, columns padded to line up. */
export function plainTable(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [columns, ...rows];
  const widths = columns.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  return all.map((r) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}
