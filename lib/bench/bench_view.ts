/**
 * Benchmark results (`results.jsonl`) in a notebook: a per-arm table (pass rate,
 * attempts, time, the Sheriff against the hidden ground truth), a pass-rate chart, a time-split chart
 * per arm, and a task-by-arm table. Every text is escaped.
 *
 * @module
 */
import { join } from "node:path";
import { type ArmName, ARMS } from "./arms.ts";
import { parseJsonLines } from "./jsonl.ts";
import type { BenchRecord } from "./record.ts";
import { type ArmSummary, summarize } from "./summary.ts";
import { duration, percent } from "./format.ts";
import { ConfigError } from "../errors.ts";
import { bundleOf, type Displayable, JUPYTER_DISPLAY, type MimeBundle, Rich } from "../render/bundles.ts";
import { frame, markup, type SafeHtml } from "../render/html.ts";
import { htmlTable, markdownTable, plainTable } from "../render/table.ts";
import { barChart, CHART_COLORS, stackedBar } from "../render/svg_chart.ts";

/**
 * Reads benchmark results: a `results.jsonl` file, or a directory holding one, or a directory of
 * result directories (such as `bench/results/`), whose newest by name (they start with the date) is
 * read. Throws ConfigError when nothing is found or a line is not JSON.
 */
export async function loadBenchResults(path: string): Promise<BenchView> {
  const file = await resultsFile(path);
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    throw new ConfigError(`Cannot read benchmark results ${file}: ${(error as Error).message}`);
  }
  try {
    return new BenchView(parseJsonLines(text));
  } catch (error) {
    throw new ConfigError(`Cannot read benchmark results ${file}: ${(error as Error).message}`);
  }
}

async function resultsFile(path: string): Promise<string> {
  const isDir = await Deno.stat(path).then((s) => s.isDirectory, () => false);
  if (!isDir) return path;
  const direct = join(path, "results.jsonl");
  if (await Deno.stat(direct).then((s) => s.isFile, () => false)) return direct;
  const found: string[] = [];
  for await (const entry of Deno.readDir(path)) {
    const candidate = join(path, entry.name, "results.jsonl");
    if (entry.isDirectory && await Deno.stat(candidate).then((s) => s.isFile, () => false)) {
      found.push(candidate);
    }
  }
  const newest = found.sort().at(-1);
  if (!newest) throw new ConfigError(`Cannot read benchmark results ${path}: no results.jsonl in it`);
  return newest;
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
  readonly #records: readonly BenchRecord[];
  /** Wraps the records of a `results.jsonl`; a `--speculative` run's arms read `arm · speed arm`. */
  constructor(records: readonly BenchRecord[]) {
    this.#records = records.map((r) =>
      r.speculative === undefined ? r : { ...r, arm: armLabel(r) as ArmName }
    );
  }

  /** How many records there are. */
  get size(): number {
    return this.#records.length;
  }

  /** The per-arm table with the pass-rate and time charts. */
  byArm(): Rich {
    return new Rich(() => this.#armBundle());
  }

  /** The task-by-arm table: ✓ or ✗ and the attempts (or why the run itself failed). */
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

  #arms(): string[] {
    const seen = [...new Set(this.#records.map((r) => r.arm as string))];
    return [
      ...ARMS.map((a) => a.name as string).filter((name) => seen.includes(name)),
      ...seen.filter((name) => !ARMS.some((a) => a.name === name)),
    ];
  }

  #armBundle(): MimeBundle {
    const summaries = summarize(this.#arms(), this.#records);
    const rows = summaries.map(armCells);
    const models = [...new Set(this.#records.map((r) => r.model))].join(", ");
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
    const splits = summaries.map((s) => markup`<div class="fx-muted">${s.arm}</div>${timeSplit(s)}`);
    const body = markup`<h4>Benchmark: ${this.#records.length} results · ${models}</h4>${
      htmlTable(ARM_COLUMNS, rows)
    }
<h4>Pass rate</h4>${passChart}<h4>Mean time per task</h4>${splits}`;
    return bundleOf(frame(body), markdownTable(ARM_COLUMNS, rows), plainTable(ARM_COLUMNS, rows));
  }

  #taskBundle(): MimeBundle {
    const arms = this.#arms();
    const tasks = [...new Set(this.#records.map((r) => `${r.suite}/${r.taskId}`))];
    const rows = tasks.map((id) => [
      id,
      ...arms.map((arm) => {
        const r = this.#records.find((x) => `${x.suite}/${x.taskId}` === id && x.arm === arm);
        return r ? taskCell(r) : "–";
      }),
    ]);
    const columns = ["task", ...arms];
    return bundleOf(
      frame(markup`<h4>By task</h4>${htmlTable(columns, rows, false)}`),
      markdownTable(columns, rows),
      plainTable(columns, rows),
    );
  }
}

/** `✓ 2 att.`, `✗ 3 att. (false claim)`, or `✗ error: model_error` when the run itself failed. */
function taskCell(r: BenchRecord): string {
  const mark = r.passed ? "✓" : "✗";
  if (r.status === "error" || r.status === "interrupted") return `${mark} ${r.status}: ${r.stopReason}`;
  return `${mark} ${r.attempts} att.${r.claimed && !r.passed ? " (false claim)" : ""}`;
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

/** `loop+checks · ngram` for a record of a speed run. */
function armLabel(record: BenchRecord): string {
  return `${record.arm} · ${record.speculative}`;
}
