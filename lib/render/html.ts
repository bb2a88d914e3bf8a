/**
 * Safe HTML building for the notebook renderers. Every piece of model or program text goes through
 * {@linkcode escapeHtml}, the one escaping function: the {@linkcode markup} tag escapes each value it is
 * given unless the value is already {@linkcode SafeHtml} built by this module. Pure.
 *
 * @module
 */

/** HTML that is safe to insert as is: only this module and its tag create it. */
export class SafeHtml {
  /** The markup. */
  readonly value: string;
  /** Wraps markup already known to be safe; prefer the {@linkcode markup} tag. */
  constructor(value: string) {
    this.value = value;
  }
  /** The markup. */
  toString(): string {
    return this.value;
  }
}

/** What the {@linkcode markup} tag accepts as a value: text is escaped, SafeHtml kept, lists joined. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML content and attribute values: `& < > " '` become entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Renders one value: escaped text, kept SafeHtml, joined lists; `null`, `undefined` and `false` are empty. */
function piece(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(piece).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(String(value));
}

/** The tag: `markup\`<b>${text}</b>\`` escapes `text`. */
export function markup(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, i) => out += piece(value) + strings[i + 1]);
  return new SafeHtml(out);
}

/** Joins values (each escaped unless SafeHtml) with a separator. */
export function joinHtml(values: readonly HtmlValue[], separator: HtmlValue = ""): SafeHtml {
  return new SafeHtml(values.map(piece).join(piece(separator)));
}

/** The first line of `text`, cut to `max` characters with an ellipsis when longer. */
export function clip(text: string, max: number): string {
  const line = text.split("\n")[0];
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The tone of a badge. */
export type Tone = "pass" | "fail" | "warn" | "info" | "muted";

/** A small coloured label such as PASS or FAIL. */
export function badge(text: string, tone: Tone): SafeHtml {
  return markup`<span class="fx-badge fx-${tone}">${text}</span>`;
}

/** A collapsible section, closed unless `open`. */
export function details(summary: HtmlValue, body: HtmlValue, open = false): SafeHtml {
  const attr = open ? " open" : "";
  return markup`<details class="fx-details"${new SafeHtml(
    attr,
  )}><summary>${summary}</summary>${body}</details>`;
}

/** Preformatted text; longer than `maxLines` lines is cut, saying how much is left out. */
export function pre(text: string, options: { maxLines?: number; className?: string } = {}): SafeHtml {
  if (text !== "" && text.trim() === "") {
    return markup`<div class="fx-note">(only whitespace: ${text.length} characters)</div>`;
  }
  const maxLines = options.maxLines ?? 400;
  const lines = text.split("\n");
  const shown = lines.length > maxLines ? lines.slice(0, maxLines).join("\n") : text;
  const cut = lines.length > maxLines
    ? markup`<div class="fx-note">… ${lines.length - maxLines} more lines not shown here</div>`
    : "";
  return markup`<pre class="${options.className ?? "fx-pre"}">${shown}</pre>${cut}`;
}

/** Prose from a model (an analysis, a fix request): escaped, line breaks kept, normal font. */
export function prose(text: string): SafeHtml {
  return markup`<div class="fx-prose">${text}</div>`;
}

/** A root element carrying the stylesheet, so each output is self-contained. */
export function frame(body: HtmlValue): SafeHtml {
  return markup`<div class="fx-root">${new SafeHtml(STYLE)}${body}</div>`;
}

/**
 * The stylesheet, scoped to `.fx-root`. Neutral greys with alpha read on light and dark backgrounds;
 * token colours switch with `prefers-color-scheme` and JupyterLab's dark theme attribute.
 */
export const STYLE = `<style>
.fx-root{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;font-size:13px;line-height:1.45;color:inherit;max-width:100%}
.fx-root *{box-sizing:border-box}
.fx-root h3,.fx-root h4{margin:.6em 0 .3em;font-weight:600;color:inherit}
.fx-root h3{font-size:15px}.fx-root h4{font-size:13px}
.fx-root .fx-card{border:1px solid rgba(127,127,127,.35);border-radius:6px;padding:8px 10px;margin:6px 0;background:rgba(127,127,127,.04)}
.fx-root .fx-row{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center}
.fx-root .fx-muted{opacity:.72}
.fx-root .fx-note{opacity:.72;font-style:italic;margin:2px 0}
.fx-root .fx-badge{display:inline-block;padding:1px 7px;border-radius:10px;font-weight:700;font-size:11px;line-height:1.5;letter-spacing:.03em;color:#fff;vertical-align:middle;opacity:1}
.fx-root .fx-pass{background:#1a7f37}.fx-root .fx-fail{background:#cf222e}.fx-root .fx-warn{background:#9a6700}
.fx-root .fx-info{background:#0969da}.fx-root .fx-badge.fx-muted{background:#6e7781}
.fx-root pre.fx-pre,.fx-root pre.fx-code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;line-height:1.4;white-space:pre-wrap;word-break:normal;overflow-wrap:anywhere;margin:4px 0;padding:6px 8px;border:0;border-radius:4px;background:rgba(127,127,127,.10);color:inherit;max-height:36em;overflow:auto}
.fx-root pre.fx-stderr{border-left:3px solid #cf222e}
.fx-root .fx-prose{white-space:pre-wrap;overflow-wrap:anywhere;margin:2px 0 6px}
.fx-root .fx-details>summary{cursor:pointer;margin:4px 0}
.fx-root table.fx-table{border-collapse:collapse;margin:4px 0;font-size:inherit;color:inherit;table-layout:auto}
.fx-root .fx-table th,.fx-root .fx-table td{border:1px solid rgba(127,127,127,.35);padding:3px 8px;text-align:left;vertical-align:top;background:none;color:inherit}
.fx-root .fx-table th{background:rgba(127,127,127,.12)}
.fx-root .fx-table td.fx-num{text-align:right;font-variant-numeric:tabular-nums}
.fx-root .fx-timeline{margin:4px 0}
.fx-root .fx-step{margin:3px 0}
.fx-root .fx-msg{border-left:3px solid rgba(127,127,127,.5);padding-left:6px;margin:4px 0}
.fx-root .fx-role{font-weight:600;font-size:11px;text-transform:uppercase;opacity:.75}
.fx-root .fx-live{border-left:3px solid #0969da}
.fx-root .tk-kw{color:#a626a4}.fx-root .tk-str{color:#2f7d32}.fx-root .tk-num{color:#b35900}
.fx-root .tk-com{color:#6e7781;font-style:italic}.fx-root .tk-fn{color:#0b61c4}.fx-root .tk-lit{color:#b35900}
@media (prefers-color-scheme: dark){
.fx-root .tk-kw{color:#d2a8ff}.fx-root .tk-str{color:#7ee787}.fx-root .tk-num,.fx-root .tk-lit{color:#ffa657}
.fx-root .tk-com{color:#8b949e}.fx-root .tk-fn{color:#79c0ff}}
[data-jp-theme-light="false"] .fx-root .tk-kw{color:#d2a8ff}
[data-jp-theme-light="false"] .fx-root .tk-str{color:#7ee787}
[data-jp-theme-light="false"] .fx-root .tk-num,[data-jp-theme-light="false"] .fx-root .tk-lit{color:#ffa657}
[data-jp-theme-light="false"] .fx-root .tk-com{color:#8b949e}
[data-jp-theme-light="false"] .fx-root .tk-fn{color:#79c0ff}
</style>`;
