/**
 * HTML for the parts of one attempt: the Coder turn (highlighted program, collapsible prompt, tokens
 * and seconds), the execution (exit, duration, stdout and stderr panes with truncation shown, checks)
 * and the Sheriff turn (PASS/FAIL badge, analysis, suggested fix). Every text is escaped. Pure.
 *
 * @module
 */
import type { Attempt, Captured, ChatMessage, CheckResult, Language, ModelReply } from "../types.ts";
import { badge, details, type HtmlValue, markup, pre, prose, type SafeHtml } from "./html.ts";
import { highlight } from "./highlight.ts";
import { describeSpeed, seconds } from "./format.ts";

/** A badge for an attempt's final verdict, marked `data-verdict` so tools can find it. */
export function verdictBadge(passed: boolean): SafeHtml {
  const word = passed ? "PASS" : "FAIL";
  return markup`<span class="fx-badge fx-${passed ? "pass" : "fail"}" data-verdict="${word}">${word}</span>`;
}

/**
 * `312 tokens (1204 prompt, 900 cached) · 4.10 s · 31.5 tokens/s`, with the drafted tokens accepted when
 * speculative decoding was on.
 */
export function replyFacts(reply: ModelReply): string {
  const u = reply.usage;
  const estimated = u.estimated ? ", estimated" : "";
  const cached = u.cachedTokens ? `, ${u.cachedTokens} cached` : "";
  const limit = reply.finishReason === "length"
    ? " · hit the token limit"
    : reply.finishReason === "time_limit"
    ? " · stopped at the time limit"
    : "";
  const speed = describeSpeed(reply);
  return `${u.completionTokens} tokens (${u.promptTokens} prompt${cached}${estimated}) · ${
    seconds(reply.ms)
  }${speed ? ` · ${speed}` : ""}${limit}`;
}

/** The messages of a prompt, collapsed under one summary line. */
export function promptDetails(messages: readonly ChatMessage[] | undefined): HtmlValue {
  if (!messages || messages.length === 0) return "";
  const chars = messages.reduce((n, m) => n + m.content.length, 0);
  const body = messages.map((m) =>
    markup`<div class="fx-msg"><div class="fx-role">${m.role}</div>${pre(m.content, { maxLines: 300 })}</div>`
  );
  return details(`Prompt: ${messages.length} messages, ${chars} characters`, body);
}

/** factory's own notes on a run (a limit, the work dir), outside the output panes; "" when none. */
function notesHtml(notes: readonly { text: string }[] | undefined): HtmlValue {
  if (!notes || notes.length === 0) return "";
  return markup`<p class="fx-notes">sandbox: ${notes.map((note) => note.text).join("; ")}</p>`;
}

function card(kind: string, head: SafeHtml, ...body: HtmlValue[]): SafeHtml {
  return markup`<div class="fx-card fx-${kind}"><div class="fx-row">${head}</div>${body}</div>`;
}

/** The Coder turn of an attempt. */
export function coderHtml(attempt: Attempt, language: Language, prompt?: readonly ChatMessage[]): SafeHtml {
  const draft = attempt.draft;
  const head = (tag: SafeHtml) =>
    markup`<strong>Coder</strong>${tag}<span class="fx-muted">attempt ${attempt.number} · ${
      replyFacts(draft.reply)
    }</span>`;
  const turn = (tag: SafeHtml, ...body: HtmlValue[]) =>
    card("coder", head(tag), promptDetails(prompt), ...body);
  const code = (text: string) => markup`<pre class="fx-code">${highlight(text, language)}</pre>`;
  const note = (text: string) => markup`<div class="fx-note">${text}</div>`;
  const reply = details("Full reply", pre(draft.reply.text));
  switch (draft.kind) {
    case "code":
      return turn(badge(`${language} program`, "info"), code(draft.code), reply);
    case "truncated":
      return turn(
        badge("cut off", "warn"),
        note("The reply hit the token limit inside a code block; the partial program was not run."),
        code(draft.partial),
        reply,
      );
    case "no_code":
      return turn(badge("no code", "warn"), note("The reply held no code block."), pre(draft.reply.text));
    default: {
      const never: never = draft;
      return never;
    }
  }
}

/** One output stream: a header with its size and truncation, then the text. */
export function streamPane(name: "stdout" | "stderr", captured: Captured): SafeHtml {
  const cut = captured.truncated
    ? markup` · ${badge("truncated", "warn")} the program wrote ${captured.bytes} bytes; the middle was cut`
    : "";
  const body = captured.text === ""
    ? markup`<div class="fx-note">(empty)</div>`
    : pre(captured.text, { className: name === "stderr" ? "fx-pre fx-stderr" : "fx-pre" });
  return markup`<div class="fx-stream"><div class="fx-muted">${name} · ${captured.bytes} bytes${cut}</div>${body}</div>`;
}

/** The check results as a table. */
export function checksHtml(checks: readonly CheckResult[]): HtmlValue {
  if (checks.length === 0) return "";
  const rows = checks.map((c) =>
    markup`<tr><td>${c.name}</td><td>${
      badge(c.passed ? "pass" : "fail", c.passed ? "pass" : "fail")
    }</td><td>${c.detail.includes("\n") ? pre(c.detail, { maxLines: 40 }) : c.detail}</td></tr>`
  );
  const passed = checks.filter((c) => c.passed).length;
  return markup`<h4>Checks: ${passed}/${checks.length} passed</h4><table class="fx-table"><tr><th>check</th><th>result</th><th>detail</th></tr>${rows}</table>`;
}

/** The execution of an attempt: how it ended, its outputs and the checks. */
export function execHtml(attempt: Attempt): SafeHtml {
  const exec = attempt.exec;
  if (!exec) return card("exec", execHead(badge("not run", "muted"), "there was no program to run"));
  switch (exec.kind) {
    case "exited":
      return ranCard(
        attempt,
        exec,
        badge(`exit ${exec.code}`, exec.code === 0 ? "pass" : "fail"),
        seconds(exec.ms),
      );
    case "timed_out":
      return ranCard(attempt, exec, badge("timed out", "fail"), `killed after ${seconds(exec.afterMs)}`);
    case "interrupted":
      return ranCard(attempt, exec, badge("interrupted", "warn"), `stopped after ${seconds(exec.afterMs)}`);
    case "refused":
      return card("exec", execHead(badge("refused", "fail"), exec.reason), checksHtml(attempt.checks));
    default: {
      const never: never = exec;
      return never;
    }
  }
}

function execHead(tag: SafeHtml, facts: string): SafeHtml {
  return markup`<strong>Run</strong>${tag}<span class="fx-muted">${facts}</span>`;
}

/** The card of a program that ran: how it ended (`tag`, `facts`), both output panes, the checks. */
function ranCard(
  attempt: Attempt,
  ran: { stdout: Captured; stderr: Captured; notes?: readonly { text: string }[] },
  tag: SafeHtml,
  facts: string,
): SafeHtml {
  return card(
    "exec",
    execHead(tag, facts),
    notesHtml(ran.notes),
    streamPane("stdout", ran.stdout),
    streamPane("stderr", ran.stderr),
    checksHtml(attempt.checks),
  );
}

/** The Sheriff turn of an attempt. */
export function sheriffHtml(attempt: Attempt, prompt?: readonly ChatMessage[]): SafeHtml {
  const op = attempt.sheriff;
  const head = (tag: HtmlValue, facts: string) =>
    markup`<strong>Sheriff</strong>${tag}<span class="fx-muted">${facts}</span>`;
  switch (op.kind) {
    case "verdict": {
      const said = badge(op.verdict, op.verdict === "PASS" ? "pass" : "fail");
      const overruled = attempt.verdict.overruled ? badge("overruled by the facts", "warn") : "";
      return card(
        "sheriff",
        head([said, overruled], replyFacts(op.reply)),
        promptDetails(prompt),
        markup`<h4>Analysis</h4>`,
        prose(op.analysis || "(none)"),
        markup`<h4>Suggested fix</h4>`,
        prose(op.fix || "(none)"),
        details("Full reply", pre(op.reply.text)),
      );
    }
    case "unparsable":
      return card(
        "sheriff",
        head(badge("unreadable", "fail"), replyFacts(op.reply)),
        promptDetails(prompt),
        markup`<div class="fx-note">The reply held no VERDICT: PASS or FAIL line (${op.error}); it counts as FAIL.</div>`,
        pre(op.reply.text),
      );
    case "skipped":
      return card("sheriff", head(badge("not asked", "muted"), op.reason));
    default: {
      const never: never = op;
      return never;
    }
  }
}

/** An attempt's heading: number, verdict badge, overruled mark and time. */
export function attemptHeading(attempt: Attempt): SafeHtml {
  const overruled = attempt.verdict.overruled ? badge("Sheriff overruled", "warn") : "";
  return markup`<strong>Attempt ${attempt.number}</strong> ${
    verdictBadge(attempt.verdict.passed)
  } ${overruled} <span class="fx-muted">${seconds(attempt.ms)}</span>`;
}

/** A whole attempt: its heading (unless `heading` is false), the reasons it failed, then the three turns. */
export function attemptHtml(
  attempt: Attempt,
  language: Language,
  prompts: { coder?: readonly ChatMessage[]; sheriff?: readonly ChatMessage[] } = {},
  heading = true,
): SafeHtml {
  const reasons = attempt.verdict.reasons;
  return markup`<div class="fx-attempt">${
    heading ? markup`<div class="fx-row">${attemptHeading(attempt)}</div>` : ""
  }${reasons.length ? markup`<ul>${reasons.map((r) => markup`<li>${r}</li>`)}</ul>` : ""}${
    coderHtml(attempt, language, prompts.coder)
  }${execHtml(attempt)}${sheriffHtml(attempt, prompts.sheriff)}</div>`;
}
