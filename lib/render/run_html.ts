/**
 * HTML for a whole run: status and stop reason, an attempt timeline, tokens, a time breakdown chart,
 * then every attempt (the last one open). Every text is escaped. Pure.
 *
 * @module
 */
import type { Attempt, RunResult, RunStatus, Task } from "../types.ts";
import { totalTokens } from "../host/token_totals.ts";
import { badge, clip, details, frame, markup, pre, type SafeHtml, type Tone } from "./html.ts";
import { attemptHeading, attemptHtml, verdictBadge } from "./turn_html.ts";
import { stackedBar, timeSegments } from "./svg_chart.ts";
import { describeChecks, describeDraft, describeExec, describeOpinion, seconds } from "./format.ts";
import type { PromptBook } from "./prompt_book.ts";

const STATUS_TONE: Record<RunStatus, Tone> = {
  passed: "pass",
  failed: "fail",
  error: "fail",
  interrupted: "warn",
};

/** A badge for a run's status. */
export function statusBadge(status: RunStatus): SafeHtml {
  return badge(status.toUpperCase(), STATUS_TONE[status]);
}

/** One line per attempt: verdict, then what the Coder, the run, the checks and the Sheriff did. */
export function timelineHtml(attempts: readonly Attempt[]): SafeHtml {
  if (attempts.length === 0) return markup`<div class="fx-note">No attempt was made.</div>`;
  const items = attempts.map((a) => {
    const steps = [
      `Coder ${describeDraft(a.draft)}`,
      a.exec ? `Run ${describeExec(a.exec)}` : "not run",
      ...(a.checks.length ? [describeChecks(a.checks)] : []),
      `Sheriff ${clip(describeOpinion(a.sheriff), 120)}`,
    ];
    return markup`<div class="fx-step"><strong>#${a.number}</strong> ${
      verdictBadge(a.verdict.passed)
    } <span class="fx-muted">${seconds(a.ms)}</span> · ${steps.join(" → ")}</div>`;
  });
  return markup`<div class="fx-timeline">${items}</div>`;
}

/** Tokens and times in a small table. */
export function totalsHtml(result: RunResult): SafeHtml {
  const t = result.tokens;
  const d = result.durations;
  const estimated = t.estimated ? " (partly estimated)" : "";
  const tokens = `${t.prompt} prompt + ${t.completion} completion = ${totalTokens(t)}${estimated}`;
  const split = `model ${seconds(d.modelMs)} · programs ${seconds(d.execMs)} · orchestration ${
    seconds(d.orchestrationMs)
  }`;
  return markup`<table class="fx-table"><tr><th>tokens</th><td class="fx-num">${tokens}</td><td class="fx-num">${t.cached} cached</td></tr><tr><th>time</th><td class="fx-num">${
    seconds(d.totalMs)
  } total</td><td class="fx-num">${split}</td></tr></table>`;
}

/** The task: its description, constraints and checks. */
export function taskHtml(task: Task): SafeHtml {
  const constraints = task.constraints.length
    ? markup`<div class="fx-muted">constraints</div><ul>${
      task.constraints.map((c) => markup`<li>${c}</li>`)
    }</ul>`
    : "";
  const checks = Object.keys(task.checks).length
    ? markup`<div class="fx-muted">checks</div>${pre(JSON.stringify(task.checks, null, 2))}`
    : "";
  return markup`${pre(task.description)}${constraints}${checks}`;
}

/** The body of a run's render (without the stylesheet frame). */
export function runBody(
  result: RunResult,
  prompts: PromptBook = {},
  notes: readonly string[] = [],
): SafeHtml {
  const task = result.task;
  const lastIndex = result.attempts.length - 1;
  const attempts = result.attempts.map((a, i) =>
    details(attemptHeading(a), attemptHtml(a, task.language, prompts[a.number], false), i === lastIndex)
  );
  const paths = [
    result.finalScript
      ? markup`<div class="fx-muted">final script <code>${result.finalScript}</code></div>`
      : "",
    result.dir ? markup`<div class="fx-muted">artifacts <code>${result.dir}</code></div>` : "",
  ];
  return markup`<div class="fx-run"><h3>factory · ${task.name} <span class="fx-muted">(${task.language})</span></h3>
<div class="fx-row">${
    statusBadge(result.status)
  }<span>stopped: <strong>${result.stopReason}</strong> · ${result.stopDetail}</span></div>
${details("Task", taskHtml(task))}
<h4>Timeline</h4>${timelineHtml(result.attempts)}
<h4>Tokens and time</h4>${totalsHtml(result)}${
    stackedBar(timeSegments(result.durations), `Time breakdown of run ${result.runId}`, 560)
  }
<h4>Attempts</h4>${attempts}${paths}${notes.map((n) => markup`<div class="fx-note">note: ${n}</div>`)}</div>`;
}

/** A run as a self-contained HTML fragment; `notes` say what could not be read back. */
export function runHtml(
  result: RunResult,
  prompts: PromptBook = {},
  notes: readonly string[] = [],
): SafeHtml {
  return frame(runBody(result, prompts, notes));
}
