/**
 * `results.md`: the settings, one row per arm, the time split, the speed probe and one row per task.
 * Pure.
 *
 * @module
 */
import type { BenchMeta } from "./meta.ts";
import type { BenchRecord } from "./record.ts";
import type { ArmSummary, Share } from "./summary.ts";
import { duration, fixed, percent } from "./format.ts";
import { markdownTable } from "../render/table.ts";

/** The whole markdown report. */
export function markdownReport(
  meta: BenchMeta,
  summaries: readonly ArmSummary[],
  records: readonly BenchRecord[],
): string {
  const sections = [
    `# factory benchmark: ${meta.suite}, ${meta.selection}`,
    settingsText(meta),
    "## Results per arm",
    armTable(summaries),
    records.some((r) => r.arm === "single" && r.derivedFrom === "loop") ? SINGLE_FROM_LOOP : "",
    ARM_NOTES,
    "## Time split (mean per task)",
    splitTable(summaries),
    meta.speed ? speedText(meta) : "",
    meta.speedError
      ? `## Streamed turns against the raw server\n\nThe speed probe failed: ${meta.speedError}`
      : "",
    "## Per task",
    taskTable(summaries.map((s) => s.arm), records),
    "✓ = the final program passes every hidden assert or check; the number is the attempts used.",
  ];
  return sections.filter((s) => s !== "").join("\n\n") + "\n";
}

/** The report's settings lines: model, limits, machine, date, command. */
export function settingsText(meta: BenchMeta): string {
  const l = meta.limits;
  const lines = [
    `- Model: \`${meta.model}\` on ${meta.server}`,
    `- Settings: temperature ${l.temperature} (Coder retries ${l.retryTemperature}), at most ${l.maxAttempts} attempts (raw and single: 1), ` +
    `${l.maxTokensPerTurn} tokens a turn, ${l.executionTimeoutMs / 1000} s a program run, ` +
    `a ${l.llmTimeoutMs / 1000} s stall limit per model call, stagnation after ${l.stagnationThreshold}, ` +
    `concurrency ${meta.concurrency}`,
    `- Machine: ${meta.machine}`,
    `- Date: ${meta.date}${meta.totalMs !== undefined ? `, whole run ${duration(meta.totalMs)}` : ""}`,
    `- Command: \`${meta.command}\``,
  ];
  return lines.join("\n");
}

const SINGLE_FROM_LOOP = "single: scored from the loop arm's first attempt (the same run stopped after one " +
  "attempt: same Coder prompt, program and Sheriff verdict), which pairs the two arms exactly.";

const ARM_NOTES = [
  "- **pass**: the final program passes the hidden ground truth (all MBPP asserts; a task file's checks).",
  "- **repair**: of the tasks whose first attempt failed the ground truth, the share whose final program passes.",
  "- **false PASS (checks / no checks)**: tasks where the Sheriff said PASS on a program the ground truth fails, of",
  "  the tasks it judged, split by whether the loop ran checks on the task (visible or derived).",
  "- **imitation**: programs that call a test framework or contain the check's code, of all programs written.",
  '- **errors**: runs that ended with status "error" (the model server failed), of all runs.',
  "- **Sheriff agrees**: attempts where the Sheriff's verdict matched the ground truth on that attempt's program.",
  '- **false claims**: the run ended "passed" but its program fails the ground truth.',
  "- **overhead**: orchestration overhead per attempt: wall time − model calls (as the client timed them) −",
  "  program and check runs. Model time the server's timings miss (HTTP, streaming, queueing) is **model wait**.",
  "- **cache on retries**: cached / prompt tokens of the Coder's retry turns (attempts 2 and later), then of",
  "  every model call of those attempts (the Sheriff's prompt holds a new program each attempt).",
].join("\n");

/** `42% (5/12)`, or `–` when the total is 0. */
function shareText(share: Share): string {
  return share.of === 0 ? "–" : `${percent(share.rate)} (${share.count}/${share.of})`;
}

function armTable(summaries: readonly ArmSummary[]): string {
  const columns = [
    "arm",
    "tasks",
    "pass",
    "repair",
    "false PASS (checks)",
    "false PASS (no checks)",
    "imitation",
    "median attempts",
    "median wall",
    "errors",
    "Sheriff agrees",
    "false claims",
    "overhead median",
    "cache on retries: Coder; all turns",
  ];
  const rows = summaries.map((s) => {
    const a = s.agreement;
    const agree = a.judged === 0 ? "–" : `${percent(a.agreed / a.judged)} (${a.agreed}/${a.judged})`;
    const cells = [
      s.arm,
      String(s.tasks),
      `${percent(s.passRate)} (${s.passed}/${s.tasks})`,
      shareText(s.repair),
      shareText(s.falsePass.withChecks),
      shareText(s.falsePass.withoutChecks),
      shareText(s.imitation),
      fixed(s.medianAttempts, 1),
      duration(s.medianWallMs),
      shareText(s.errors),
      agree,
      String(s.falseClaims),
      duration(s.overheadMedianMs),
      cacheText(s),
    ];
    return cells;
  });
  return markdownTable(columns, rows);
}

function cacheText(s: ArmSummary): string {
  const c = s.retryCache;
  const coder = s.coderRetryCache;
  if (c.prompt === 0) return "–";
  return `${fixed(coder.ratio)} (${coder.cached}/${coder.prompt}); ${
    fixed(c.ratio)
  } (${c.cached}/${c.prompt})`;
}

function splitTable(summaries: readonly ArmSummary[]): string {
  const columns = [
    "arm",
    "prefill",
    "decode",
    "model wait",
    "program runs",
    "overhead",
    "model wait per attempt (median)",
    "decode tokens/s",
    "cache on attempt 1",
  ];
  const rows = summaries.map((s) => {
    const m = s.meanSplit;
    const first = s.firstCache.prompt === 0 ? "–" : fixed(s.firstCache.ratio);
    return [
      s.arm,
      duration(m.prefillMs),
      duration(m.decodeMs),
      duration(m.waitMs),
      duration(m.execMs),
      duration(m.overheadMs),
      duration(s.waitMedianMs),
      fixed(s.decodeTokensPerSec, 1),
      first,
    ];
  });
  return markdownTable(columns, rows);
}

function speedText(meta: BenchMeta): string {
  const speed = meta.speed!;
  const columns = [
    "prompt",
    "prompt tokens",
    "completion tokens",
    "ours (streamed)",
    "raw",
    "ours, server decode",
    "raw, server decode",
  ];
  const rows = speed.samples.map((s, i) => [
    String(i + 1),
    String(s.promptTokens),
    String(s.streamed.completionTokens),
    fixed(s.streamed.tokensPerSec, 1),
    fixed(s.raw.tokensPerSec, 1),
    fixed(s.streamed.decodeTokensPerSec, 1),
    fixed(s.raw.decodeTokensPerSec, 1),
  ]);
  return [
    "## Streamed turns against the raw server",
    "The same first Coder prompt sent through factory's streaming client and as a plain non-streaming request, " +
    "both with the prompt already cached. Tokens per second of wall time, and of the server's decode time.",
    "",
    markdownTable(columns, rows),
    "",
    `Median: ours ${fixed(speed.streamedTokensPerSec, 1)} tokens/s, raw ${fixed(speed.rawTokensPerSec, 1)} ` +
    `tokens/s, ratio ${fixed(speed.ratio)}.`,
  ].join("\n");
}

function taskTable(arms: readonly string[], records: readonly BenchRecord[]): string {
  const ids = [...new Set(records.map((r) => r.taskId))];
  const rows = ids.map((id) => {
    const cells = arms.map((arm) => {
      const r = records.find((x) => x.taskId === id && x.arm === arm);
      if (!r) return "";
      const claim = r.claimed && !r.passed ? " (false claim)" : "";
      return `${r.passed ? "✓" : "✗"} ${r.attempts}${claim}`;
    });
    return [id, ...cells];
  });
  return markdownTable(["task", ...arms], rows);
}
