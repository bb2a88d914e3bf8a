/**
 * The state of a run in progress, fed event by event, rendered as one compact display: the phase,
 * each attempt's steps so far, and the tail of the text being streamed. When the run stops, the
 * display becomes the full run render. Pure (the clock is passed in).
 *
 * @module
 */
import type { RunEvent, RunResult, Task, TokenTotals } from "../types.ts";
import { addUsage, NO_TOKENS, totalTokens } from "../host/token_totals.ts";
import { badge, clip, frame, markup, pre } from "./html.ts";
import { bundleOf, type MimeBundle, runBundle } from "./bundles.ts";
import { verdictBadge } from "./turn_html.ts";
import { escapeMarkdown } from "./markdown.ts";
import { addPrompt, type PromptBook, type TurnPrompts } from "./prompt_book.ts";
import {
  describeChecks,
  describeDraft,
  describeExec,
  describeOpinion,
  describeSpeed,
  seconds,
} from "./format.ts";

/** How much streamed text the live display keeps (its tail). */
export const STREAM_TAIL_CHARS = 3000;

interface LiveAttempt {
  number: number;
  steps: string[];
  passed?: boolean;
}

/** A run in progress, as the events tell it. */
export class LiveView {
  #task?: Task;
  #maxAttempts = 0;
  #phase = "starting";
  #stream = "";
  #streamer = "";
  #startedAt: number;
  #attempts: LiveAttempt[] = [];
  #tokens: TokenTotals = NO_TOKENS;
  #prompts: Record<number, TurnPrompts> = {};
  #result?: RunResult;
  readonly #now: () => number;

  /** Starts the clock. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
    this.#startedAt = now();
  }

  /** True once the `run_start` event arrived. */
  get started(): boolean {
    return this.#task !== undefined;
  }

  /** The final result, once the `stop` event arrived. */
  get result(): RunResult | undefined {
    return this.#result;
  }

  /** The prompts seen so far. */
  get prompts(): PromptBook {
    return this.#prompts;
  }

  /** Takes one event. Returns true when the phase changed (worth showing at once), false for a token. */
  apply(event: RunEvent): boolean {
    const step = (n: number, text: string) => this.#at(n).steps.push(text);
    switch (event.kind) {
      case "run_start":
        this.#task = event.task;
        this.#maxAttempts = event.limits.maxAttempts;
        this.#startedAt = this.#now();
        return true;
      case "coder_token":
      case "sheriff_token":
        this.#stream = (this.#stream + event.text).slice(-STREAM_TAIL_CHARS);
        this.#streamer = event.kind === "coder_token" ? "the Coder" : "the Sheriff";
        return false;
      case "coder_start":
        return this.#enter(
          event.attempt,
          event.again ? `the Coder is writing again (${event.again})` : "the Coder is writing",
        );
      case "coder_done":
        step(event.attempt, `Coder ${describeDraft(event.draft)}`);
        return true;
      case "exec_start":
        return this.#enter(event.attempt, `running the ${event.language} program`);
      case "exec_done":
        step(event.attempt, `Run ${describeExec(event.result)}`);
        return true;
      case "checks":
        if (event.results.length) step(event.attempt, describeChecks(event.results));
        return true;
      case "sheriff_start":
        return this.#enter(event.attempt, "the Sheriff is reviewing");
      case "sheriff_done": {
        const speed = event.opinion.kind === "skipped" ? "" : describeSpeed(event.opinion.reply);
        step(
          event.attempt,
          `Sheriff ${clip(describeOpinion(event.opinion), 160)}${speed ? ` · ${speed}` : ""}`,
        );
        return true;
      }
      case "verdict":
        this.#at(event.attempt).passed = event.verdict.passed;
        return true;
      case "model_call":
        addPrompt(this.#prompts, event);
        if (event.reply) this.#tokens = addUsage(this.#tokens, event.reply.usage);
        if (event.error) step(event.attempt, `model call failed: ${event.error}`);
        return true;
      case "stop":
        this.#result = event.result;
        this.#phase = "finished";
        return true;
      default: {
        const never: never = event;
        return never;
      }
    }
  }

  /** The display: the full run once finished, else the progress so far. */
  bundle(): MimeBundle {
    if (this.#result) return runBundle(this.#result, this.#prompts);
    const elapsed = seconds(this.#now() - this.#startedAt);
    const title = this.#task ? `${this.#task.name} (${this.#task.language})` : "starting";
    const status = `${this.#phase} · ${elapsed} · ${totalTokens(this.#tokens)} tokens so far`;
    const items = this.#attempts.map((a) =>
      markup`<div class="fx-step"><strong>#${a.number}</strong> ${
        a.passed === undefined ? badge("…", "info") : verdictBadge(a.passed)
      } ${a.steps.join(" → ")}</div>`
    );
    const stream = this.#stream
      ? markup`<div class="fx-muted">${this.#streamer} is writing:</div>${
        pre(this.#stream, { maxLines: 60 })
      }`
      : "";
    const head = markup`<div class="fx-row"><strong>factory · ${title}</strong>${
      badge("running", "info")
    }<span class="fx-muted">${status} · up to ${this.#maxAttempts} attempts</span></div>`;
    const body =
      markup`<div class="fx-card fx-live">${head}<div class="fx-timeline">${items}</div>${stream}</div>`;
    const plain = [
      `factory · ${title} · ${status}`,
      ...this.#attempts.map((a) => `#${a.number} ${a.steps.join(" → ")}`),
    ]
      .join("\n");
    const markdown = `**factory · ${escapeMarkdown(title)}** · ${escapeMarkdown(status)}\n\n${
      this.#attempts.map((a) => `${a.number}. ${escapeMarkdown(a.steps.join(" → "))}`).join("\n")
    }`;
    return bundleOf(frame(body), markdown, plain);
  }

  #at(n: number): LiveAttempt {
    let attempt = this.#attempts.find((a) => a.number === n);
    if (!attempt) this.#attempts.push(attempt = { number: n, steps: [] });
    return attempt;
  }

  #enter(n: number, phase: string): boolean {
    this.#at(n);
    this.#phase = `attempt ${n}: ${phase}`;
    this.#stream = "";
    return true;
  }
}
