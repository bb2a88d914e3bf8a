/**
 * A table comparing runs side by side: the model that ran each, status, stop reason, attempts, tokens
 * and where the time went.
 * Takes each run's {@linkcode Summary} (what `summary.json` holds); displays in a notebook. Pure.
 *
 * @module
 */
import type { Summary } from "../types.ts";
import { totalTokens } from "../host/token_totals.ts";
import { bundleOf, type MimeBundle, Rich } from "./bundles.ts";
import { badge, frame, markup, type Tone } from "./html.ts";
import { htmlTable, markdownTable, plainTable } from "./table.ts";
import { seconds } from "./format.ts";
import { barChart, CHART_COLORS } from "./svg_chart.ts";

/** One row of the comparison. */
export interface ComparisonRow {
  /** The run's id. */
  runId: string;
  /** The task's name. */
  task: string;
  /** The model that ran it, when the run recorded it. */
  model: string | undefined;
  /** How the run ended. */
  status: Summary["status"];
  /** What stopped it. */
  stopReason: Summary["stopReason"];
  /** Attempts made. */
  attempts: number;
  /** The attempt that passed, if any. */
  passedOnAttempt?: number;
  /** Sheriff PASS verdicts the facts overruled. */
  overruled: number;
  /** Prompt + completion tokens. */
  tokens: number;
  /** Wall time of the run. */
  totalMs: number;
  /** Time in model calls. */
  modelMs: number;
  /** Time running programs and checks. */
  execMs: number;
}

/** The row of one run. */
export function comparisonRow(s: Summary): ComparisonRow {
  return {
    runId: s.runId,
    task: s.task,
    model: s.provenance?.model,
    status: s.status,
    stopReason: s.stopReason,
    attempts: s.attempts,
    passedOnAttempt: s.passedOnAttempt,
    overruled: s.overruledVerdicts,
    tokens: totalTokens(s.tokens),
    totalMs: s.durations.totalMs,
    modelMs: s.durations.modelMs,
    execMs: s.durations.execMs,
  };
}

const COLUMNS = [
  "run",
  "task",
  "model",
  "status",
  "stop",
  "attempts",
  "passed on",
  "overruled",
  "tokens",
  "time",
  "model time",
  "program time",
];

/** A model's short name: a GGUF path's file name without `.gguf`, a repository id's last part. */
export function shortModelName(model: string | undefined): string {
  if (model === undefined || model === "") return "—";
  return (model.split(/[\\/]/).at(-1) ?? model).replace(/\.gguf$/i, "");
}

function cells(r: ComparisonRow): string[] {
  return [
    r.runId,
    r.task,
    shortModelName(r.model),
    r.status,
    r.stopReason,
    String(r.attempts),
    r.passedOnAttempt === undefined ? "—" : `#${r.passedOnAttempt}`,
    String(r.overruled),
    String(r.tokens),
    seconds(r.totalMs),
    seconds(r.modelMs),
    seconds(r.execMs),
  ];
}

const TONE: Record<ComparisonRow["status"], Tone> = {
  passed: "pass",
  failed: "fail",
  error: "fail",
  interrupted: "warn",
};

/** The comparison's bundle: an HTML table with a time chart, a Markdown table, aligned text. */
export function comparisonBundle(runs: readonly Summary[]): MimeBundle {
  const rows = runs.map(comparisonRow);
  const body = rows.map((r) => {
    const [run, task, model, status, ...rest] = cells(r);
    return [markup`<code>${run}</code>`, task, model, badge(status, TONE[r.status]), ...rest];
  });
  const chart = barChart(
    rows.map((r) => ({
      label: r.runId.slice(0, 34),
      value: r.totalMs,
      color: r.status === "passed" ? CHART_COLORS.pass : CHART_COLORS.fail,
      note: seconds(r.totalMs),
    })),
    "Total time per run",
  );
  const table = htmlTable(COLUMNS, body);
  const plain = plainTable(COLUMNS, rows.map(cells));
  const markdown = markdownTable(COLUMNS, rows.map(cells));
  return bundleOf(
    frame(markup`<h4>${rows.length} runs</h4>${table}${rows.length ? chart : ""}`),
    markdown,
    plain,
  );
}

/** A displayable table comparing the runs, in the order given. */
export function compareRuns(runs: readonly Summary[]): Rich {
  const snapshot = [...runs];
  return new Rich(() => comparisonBundle(snapshot));
}
