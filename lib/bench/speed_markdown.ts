/**
 * `results.md` of a `--speculative` run: the settings and the speculation each server ran, one row per
 * speed arm, the ratio table against `off`, and one row per task. Pure.
 *
 * @module
 */
import type { BenchMeta } from "./meta.ts";
import type { BenchRecord } from "./record.ts";
import { settingsText } from "./markdown.ts";
import type { DecodeRate, SpeedRatio, SpeedSummary } from "./speed_summary.ts";
import { duration, fixed, percent } from "./format.ts";
import { markdownTable } from "../render/table.ts";

/** The whole markdown report of a speed run. */
export function speedMarkdownReport(
  meta: BenchMeta,
  summaries: readonly SpeedSummary[],
  ratios: readonly SpeedRatio[],
  records: readonly BenchRecord[],
): string {
  const sections = [
    `# factory benchmark: ${meta.suite}, ${meta.selection}, speculative decoding`,
    settingsText(meta),
    armsText(meta, records),
    "## Speed per arm",
    speedTable(summaries),
    ratios.length > 0 ? "## Against no speculation (off)" : "",
    ratios.length > 0 ? ratioTable(ratios) : "",
    NOTES,
    "## Per task",
    taskTable(summaries.map((s) => s.label), records),
    "✓ = the final program passes the hidden ground truth; then the attempts and the run's wall time.",
  ];
  return sections.filter((s) => s !== "").join("\n\n") + "\n";
}

function armsText(meta: BenchMeta, records: readonly BenchRecord[]): string {
  const loopArms = [...new Set(records.map((r) => r.arm))].join(", ") || "–";
  const lines = (meta.speedArms ?? []).map((a) => `  - \`${a.label}\`: ${a.speculation}`);
  return [
    `- Loop arm: ${loopArms}; speed arms in the order they ran, each on a freshly started server:`,
    ...lines,
  ].join("\n");
}

function rate(r: DecodeRate): string {
  return r.calls === 0 ? "–" : `${fixed(r.perSec, 1)} (${r.calls})`;
}

function speedTable(summaries: readonly SpeedSummary[]): string {
  const columns = [
    "arm",
    "tasks",
    "pass",
    "wall to PASS, median",
    "p90",
    "retried runs",
    "retried, median wall",
    "Coder first turns, tokens/s",
    "Coder retry turns, tokens/s",
    "Sheriff, tokens/s",
    "drafts accepted",
    "cache on retries: Coder; all turns",
  ];
  const rows = summaries.map((s) => {
    const a = s.acceptance;
    const accepted = a.drafted === 0 ? "–" : `${percent(a.rate)} (${a.accepted}/${a.drafted})`;
    const cache = s.retryCache.prompt === 0
      ? "–"
      : `${fixed(s.coderRetryCache.ratio)}; ${fixed(s.retryCache.ratio)}`;
    return [
      s.label,
      String(s.tasks),
      `${percent(s.passRate)} (${s.passed}/${s.tasks})`,
      duration(s.passWallMedianMs),
      duration(s.passWallP90Ms),
      String(s.retried),
      duration(s.retriedWallMedianMs),
      rate(s.coderFirst),
      rate(s.coderRetry),
      rate(s.sheriff),
      accepted,
      cache,
    ];
  });
  return markdownTable(columns, rows);
}

function times(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : "–";
}

function ratioTable(ratios: readonly SpeedRatio[]): string {
  const columns = [
    "arm",
    "wall to PASS, median",
    "p90",
    "paired, tasks both passed",
    "retried runs, median wall",
    "first-turn decode",
    "retry-turn decode",
    "pass rate",
    "same programs as off: first, every attempt",
  ];
  const rows = ratios.map((r) => {
    const points = Number.isFinite(r.passRatePoints)
      ? `${r.passRatePoints >= 0 ? "+" : ""}${r.passRatePoints.toFixed(0)} points`
      : "–";
    return [
      r.label,
      times(r.passWallMedian),
      times(r.passWallP90),
      `${times(r.pairedPassSpeedup)} (${r.pairedTasks})`,
      times(r.retriedWallMedian),
      times(r.coderFirst),
      times(r.coderRetry),
      points,
      programsText(r.programs),
    ];
  });
  return markdownTable(columns, rows);
}

function programsText(p: SpeedRatio["programs"]): string {
  return p.compared === 0 ? "–" : `${p.sameFirst}/${p.compared}, ${p.sameAll}/${p.compared}`;
}

const NOTES = [
  "- **wall to PASS**: wall time of the runs whose final program passes the hidden ground truth (the time",
  "  to a passing program); **paired**: the median, over tasks both arms passed, of off's time / the arm's.",
  "- **retried runs**: runs that needed two attempts or more, passed or not.",
  "- **same programs**: tasks whose first program, and whose programs on every attempt, equal off's",
  "  byte for byte (sha256), of the tasks both arms ran. The first program is the clean comparison: later",
  "  prompts carry each run's own timings and work-dir paths, so they differ between arms for other reasons.",
  "- **tokens/s**: completion tokens per second of the server's decode time; the number of turns in brackets.",
  "  First turns and retry turns apart: a retry rewrites the previous program, which prompt lookup drafts.",
  "- **drafts accepted**: drafted tokens the model accepted, over every turn (llama-server's `draft_n`).",
  "- **cache on retries**: cached / prompt tokens of attempts 2 and later (the personas have pinned slots):",
  "  the Coder's retry turns, then all turns (the Sheriff's prompt holds a new program each attempt).",
  "- Ratios above 1× are faster. Under greedy decoding the pass rate should not move: speculation changes",
  "  speed, not text (see the README for where batched and single-token kernels may still differ).",
].join("\n");

function taskTable(labels: readonly string[], records: readonly BenchRecord[]): string {
  const ids = [...new Set(records.map((r) => r.taskId))];
  const rows = ids.map((id) => {
    const cells = labels.map((label) => {
      const r = records.find((x) => x.taskId === id && x.speculative === label);
      return r ? `${r.passed ? "✓" : "✗"} ${r.attempts} · ${duration(r.wallMs)}` : "";
    });
    return [id, ...cells];
  });
  return markdownTable(["task", ...labels], rows);
}
