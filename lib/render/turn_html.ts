/**
 * HTML for the parts of one attempt: the Coder turn (highlighted program, collapsible prompt, tokens
 * and seconds), the execution (exit, duration, stdout and stderr panes with truncation shown, checks)
 * and the Sheriff turn (PASS/FAIL badge, analysis, suggested fix). Every text is escaped. Pure.
 *
 * @module
 */
import type { Attempt, Captured, ChatMessage, CheckResult, Language, ModelReply } from "../types.ts";
import { badge, details, html, type HtmlValue, pre, type SafeHtml } from "./html.ts";
import { highlight } from "./highlight.ts";
import { seconds } from "./format.ts";

/** A badge for an attempt's final verdict, marked `data-verdict` so tools can find it. */
export function verdictBadge(passed: boolean): SafeHtml {
  return html`<span class="fx-badge fx-${passed ? "pass" : "fail"}" data-verdict="${
    passed ? "PASS" : "FAIL"
  }">${passed ? "PASS" : "FAIL"}</span>`;
}

/** `312 tokens (1,204 prompt, 900 cached) · 4.1 s`. */
export function replyFacts(reply: ModelReply): string {
  const u = reply.usage;
  const estimated = u.estimated ? ", estimated" : "";
  const cached = u.cachedTokens ? `, ${u.cachedTokens} cached` : "";
  return `${u.completionTokens} tokens (${u.promptTokens} prompt${cached}${estimated}) · ${
    seconds(reply.ms)
  }${reply.finishReason === "length" ? " · hit the token limit" : ""}`;
}

/** The messages of a prompt, collapsed under one summary line. */
export function promptDetails(messages: readonly ChatMessage[] | undefined): HtmlValue {
  if (!messages || messages.length === 0) return "";
  const chars = messages.reduce((n, m) => n + m.content.length, 0);
  const body = messages.map((m) =>
    html`<div class="fx-msg"><div class="fx-role">${m.role}</div>${pre(m.content, { maxLines: 300 })}</div>`
  );
  return details(`Prompt: ${messages.length} messages, ${chars} characters`, body);
}

/** The Coder turn of an attempt. */
export function coderHtml(attempt: Attempt, language: Language, prompt?: readonly ChatMessage[]): SafeHtml {
  const draft = attempt.draft;
  const head = (tag: SafeHtml) =>
    html`
      <div
        class="fx-row"><strong>Coder</strong>${tag}<span class="fx-muted">attempt ${attempt
          .number} · ${replyFacts(draft.reply)}</span></div>
    `;
  const reply = details("Full reply", pre(draft.reply.text));
  switch (draft.kind) {
    case "code":
      return html`<div class="fx-card fx-coder">${head(badge(`${language} program`, "info"))}${
        promptDetails(prompt)
      }<pre class="fx-code">${highlight(draft.code, language)}</pre>${reply}</div>`;
    case "truncated":
      return html`<div class="fx-card fx-coder">${head(badge("cut off", "warn"))}${promptDetails(prompt)}
<div class="fx-note">The reply hit the token limit inside a code block; the partial program was not run.</div>
<pre class="fx-code">${highlight(draft.partial, language)}</pre>${reply}</div>`;
    case "no_code":
      return html`<div class="fx-card fx-coder">${head(badge("no code", "warn"))}${promptDetails(prompt)}
<div class="fx-note">The reply held no code block.</div>${pre(draft.reply.text)}</div>`;
    default: {
      const never: never = draft;
      return never;
    }
  }
}

/** One output stream: a header with its size and truncation, then the text. */
export function streamPane(name: "stdout" | "stderr", captured: Captured): SafeHtml {
  const cut = captured.truncated
    ? html`
      · <span class="fx-badge fx-warn">truncated</span> the program wrote ${captured
        .bytes} bytes; the middle was cut
    `
    : "";
  const body = captured.text === ""
    ? html`<div class="fx-note">(empty)</div>`
    : pre(captured.text, { className: name === "stderr" ? "fx-pre fx-stderr" : "fx-pre" });
  return html`<div class="fx-stream"><div class="fx-muted">${name} · ${captured.bytes} bytes${cut}</div>${body}</div>`;
}

/** The check results as a table. */
export function checksHtml(checks: readonly CheckResult[]): HtmlValue {
  if (checks.length === 0) return "";
  const rows = checks.map((c) =>
    html`
      <tr>
        <td>${c.name}</td>
        <td>${badge(c.passed ? "pass" : "fail", c.passed ? "pass" : "fail")}</td>
        <td>${pre(c.detail, { maxLines: 40 })}</td>
      </tr>
    `
  );
  const passed = checks.filter((c) => c.passed).length;
  return html`
    <h4>Checks: ${passed}/${checks.length} passed</h4>
    <table class="fx-table"><tr><th>check</th><th>result</th><th>detail</th></tr>${rows}</table>
  `;
}

/** The execution of an attempt: how it ended, its outputs and the checks. */
export function execHtml(attempt: Attempt): SafeHtml {
  const exec = attempt.exec;
  if (!exec) {
    return html`
      <div class="fx-card fx-exec">
        <div
          class="fx-row"><strong>Run</strong>${badge(
            "not run",
            "muted",
          )}<span class="fx-muted">there was no program to run</span></div>
      </div>
    `;
  }
  let status: SafeHtml;
  let facts: string;
  switch (exec.kind) {
    case "exited":
      status = badge(`exit ${exec.code}`, exec.code === 0 ? "pass" : "fail");
      facts = seconds(exec.ms);
      break;
    case "timed_out":
      status = badge("timed out", "fail");
      facts = `killed after ${seconds(exec.afterMs)}`;
      break;
    case "interrupted":
      status = badge("interrupted", "warn");
      facts = `stopped after ${seconds(exec.afterMs)}`;
      break;
    case "refused":
      return html`
        <div
          class="fx-card fx-exec"><div class="fx-row"><strong>Run</strong>${badge(
            "refused",
            "fail",
          )}<span>${exec.reason}</span></div>${checksHtml(attempt.checks)}</div>
      `;
    default: {
      const never: never = exec;
      return never;
    }
  }
  return html`
    <div
      class="fx-card fx-exec"><div class="fx-row"><strong>Run</strong>${status}<span class="fx-muted">${facts}</span></div>${streamPane(
        "stdout",
        exec.stdout,
      )}${streamPane("stderr", exec.stderr)}${checksHtml(attempt.checks)}</div>
  `;
}

/** The Sheriff turn of an attempt. */
export function sheriffHtml(attempt: Attempt, prompt?: readonly ChatMessage[]): SafeHtml {
  const op = attempt.sheriff;
  const row = (tag: SafeHtml, facts: string) =>
    html`<div class="fx-row"><strong>Sheriff</strong>${tag}<span class="fx-muted">${facts}</span></div>`;
  switch (op.kind) {
    case "verdict": {
      const said = badge(op.verdict, op.verdict === "PASS" ? "pass" : "fail");
      const overruled = attempt.verdict.overruled
        ? html`
          ${badge("overruled by the facts", "warn")}
        `
        : "";
      return html`
        <div
          class="fx-card fx-sheriff">${row(said, replyFacts(op.reply))}${overruled}${promptDetails(
            prompt,
          )}<h4>Analysis</h4>${pre(op.analysis || "(none)", {
            className: "fx-pre",
          })}<h4>Suggested fix</h4>${pre(op.fix || "(none)", { className: "fx-pre" })}${details(
            "Full reply",
            pre(op.reply.text),
          )}</div>
      `;
    }
    case "unparsable":
      return html`
        <div
          class="fx-card fx-sheriff">${row(badge("unreadable", "fail"), replyFacts(op.reply))}${promptDetails(
            prompt,
          )}<div class="fx-note">The reply did not start with VERDICT: PASS or FAIL (${op
            .error}); it counts as FAIL.</div>${pre(op.reply.text)}</div>
      `;
    case "skipped":
      return html`<div class="fx-card fx-sheriff">${row(badge("not asked", "muted"), op.reason)}</div>`;
    default: {
      const never: never = op;
      return never;
    }
  }
}

/** A whole attempt: the verdict with its reasons, then the three turns. */
export function attemptHtml(
  attempt: Attempt,
  language: Language,
  prompts: { coder?: readonly ChatMessage[]; sheriff?: readonly ChatMessage[] } = {},
): SafeHtml {
  const v = attempt.verdict;
  const reasons = v.reasons.length ? html`<ul>${v.reasons.map((r) => html`<li>${r}</li>`)}</ul>` : "";
  const overruled = v.overruled ? badge("Sheriff overruled", "warn") : "";
  return html`
    <div
      class="fx-attempt"><div class="fx-row"><h4>Attempt ${attempt.number}</h4>${verdictBadge(
        v.passed,
      )}${overruled}<span class="fx-muted">${seconds(attempt.ms)}</span></div>${reasons}${coderHtml(
        attempt,
        language,
        prompts.coder,
      )}${execHtml(attempt)}${sheriffHtml(attempt, prompts.sheriff)}</div>
  `;
}
