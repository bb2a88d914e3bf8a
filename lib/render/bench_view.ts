/**
 * Benchmark results (`results.jsonl` of `lib/bench/`) in a notebook: a per-arm table (pass rate,
 * attempts, time, the Sheriff against the hidden ground truth), a pass-rate chart, a time-split chart
 * per arm, and a task-by-arm table. Every text is escaped.
 *
 * @module
 */
import { type ArmName, ARMS } from "../bench/arms.ts";
import { parseJsonLines } from "../bench/jsonl.ts";
import type { BenchRecord } from "../bench/record.ts";
import { type ArmSummary, summarize } from "../bench/summary.ts";
import { duration, percent } from "../bench/format.ts";
import { ConfigError } from "../errors.ts";
import { bundleOf, type Displayable, JUPYTER_DISPLAY, type MimeBundle, Rich } from "./bundles.ts";
import { frame, html, type SafeHtml } from "./html.ts";
import { htmlTable, markdownTable, plainTable } from "./table.ts";
import { barChart, CHART_COLORS, stackedBar } from "./svg_chart.ts";

/** Reads a `results.jsonl` file. Throws ConfigError when it is missing or a line is not JSON. */
export async function loadBenchResults(path: string): Promise<BenchView> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new ConfigError(`Cannot read benchmark results ${path}: ${(error as Error).message}`);
  }
  try {
    return new BenchView(parseJsonLines(text));
  } catch (error) {
    throw new ConfigError(`Cannot read benchmark results ${path}: ${(error as Error).message}`);
  }
}

const ARM_COLUMNS = [
  "arm",
  "tasks",
  "passed",
  "pass rate",
  "mean attempts",
  "median time",
  "false claims",
  "Sheriff agreed",
  "Sheriff false PASS",
];

function armCells(s: ArmSummary): string[] {
  const a = s.agreement;
  return [
    s.arm,
    String(s.tasks),
    String(s.passed),
    percent(s.passRate),
    Number.isFinite(s.meanAttempts) ? s.meanAttempts.toFixed(2) : "–",
    duration(s.medianWallMs),
    String(s.falseClaims),
    a.judged ? `${a.agreed}/${a.judged}` : "–",
    String(a.falsePass),
  ];
}

/** Benchmark records, displayable as a whole, by arm, or by task. */
export class BenchView implements Displayable {
  /** The records, in file order. */
  readonly records: readonly BenchRecord[];
  /** Wraps records. */
  constructor(records: readonly BenchRecord[]) {
    this.records = records;
  }

  /** The arms present, in report order. */
  arms(): ArmName[] {
    return ARMS.map((a) => a.name).filter((name) => this.records.some((r) => r.arm === name));
  }

  /** Per-arm summaries. */
  summaries(): ArmSummary[] {
    return summarize(this.arms(), this.records);
  }

  /** The per-arm table with the pass-rate and time charts. */
  byArm(): Rich {
    return new Rich(() => this.#armBundle());
  }

  /** The task-by-arm table: ✓ or ✗ and the attempts. */
  byTask(): Rich {
    return new Rich(() => this.#taskBundle());
  }

  /** Called by the Jupyter kernel: both tables. */
  [JUPYTER_DISPLAY](): MimeBundle {
    const arm = this.#armBundle();
    const task = this.#taskBundle();
    return {
      "text/html": arm["text/html"] + task["text/html"],
      "text/markdown": `${arm["text/markdown"]}\n\n${task["text/markdown"]}`,
      "text/plain": `${arm["text/plain"]}\n\n${task["text/plain"]}`,
    };
  }

  #armBundle(): MimeBundle {
    const summaries = this.summaries();
    const rows = summaries.map(armCells);
    const models = [...new Set(this.records.map((r) => r.model))].join(", ");
    const passChart = barChart(
      summaries.map((s) => ({
        label: s.arm,
        value: s.passRate || 0,
        color: CHART_COLORS.pass,
        note: percent(s.passRate),
      })),
      "Pass rate by arm (hidden ground truth)",
      { max: 1, labelWidth: 110, width: 440 },
    );
    const splits = summaries.map((s) => html`<div class="fx-muted">${s.arm}</div>${timeSplit(s)}`);
    const body = html`<h4>Benchmark: ${this.records.length} results · ${models}</h4>${
      htmlTable(ARM_COLUMNS, rows)
    }
<h4>Pass rate</h4>${passChart}<h4>Mean time per task</h4>${splits}`;
    return bundleOf(frame(body), markdownTable(ARM_COLUMNS, rows), plainTable(ARM_COLUMNS, rows));
  }

  #taskBundle(): MimeBundle {
    const arms = this.arms();
    const tasks = [...new Set(this.records.map((r) => `${r.suite}/${r.taskId}`))];
    const rows = tasks.map((id) => [
      id,
      ...arms.map((arm) => {
        const r = this.records.find((x) => `${x.suite}/${x.taskId}` === id && x.arm === arm);
        return r
          ? `${r.passed ? "✓" : "✗"} ${r.attempts} att.${r.claimed && !r.passed ? " (false claim)" : ""}`
          : "–";
      }),
    ]);
    const columns = ["task", ...arms];
    return bundleOf(
      frame(html`<h4>By task</h4>${htmlTable(columns, rows)}`),
      markdownTable(columns, rows),
      plainTable(columns, rows),
    );
  }
}

function timeSplit(s: ArmSummary): SafeHtml {
  const m = s.meanSplit;
  const part = (label: string, value: number, color: string) => ({
    label,
    value,
    color,
    note: duration(value),
  });
  return stackedBar(
    [
      part("prefill", m.prefillMs, "#76b7b2"),
      part("decode", m.decodeMs, CHART_COLORS.model),
      part("programs", m.execMs, CHART_COLORS.programs),
      part("overhead", m.overheadMs, CHART_COLORS.orchestration),
    ],
    `Mean time per task, arm ${s.arm}`,
    620,
  );
}
