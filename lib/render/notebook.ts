/**
 * The Jupyter side of rendering: the only module that touches `Deno.jupyter`, which exists only inside
 * Deno's Jupyter kernel (outside it, even `typeof Deno.jupyter` throws). {@linkcode notebookSink} shows a
 * run as one display that updates in place and ends as the full rich render; outside the kernel it
 * shows nothing, so the same code runs unchanged from the CLI.
 *
 * @module
 */
import type { EventSink, RunEvent, RunResult } from "../types.ts";
import { type Displayable, JUPYTER_DISPLAY, type MimeBundle, runBundle } from "./bundles.ts";
import { LiveView } from "./live_view.ts";
import { type PromptBook, rememberPrompts } from "./prompt_book.ts";

/** Options of one display call, as the kernel's `Deno.jupyter.display` takes them. */
export interface DisplayCallOptions {
  /** The value is a MIME bundle already. */
  raw: true;
  /** Names the display so later calls can update it. */
  display_id?: string;
  /** Replace the display named `display_id` instead of adding one. */
  update?: boolean;
}

/** Shows a bundle in the notebook: the kernel's display function, or a stand-in in tests. */
export type DisplayFn = (bundle: MimeBundle, options: DisplayCallOptions) => Promise<void>;

/** The kernel's display function; undefined outside Deno's Jupyter kernel. */
export function jupyterDisplay(): DisplayFn | undefined {
  try {
    const jupyter = Deno.jupyter;
    if (typeof jupyter?.display !== "function") return undefined;
    return (bundle, options) => jupyter.display(bundle, options);
  } catch {
    return undefined;
  }
}

/** True inside Deno's Jupyter kernel. */
export function inJupyter(): boolean {
  return jupyterDisplay() !== undefined;
}

/**
 * Displays a value now, in the middle of a cell: a displayable (a run, a turn, a table) or a bundle.
 * Shows nothing outside the kernel.
 */
export async function show(value: Displayable | MimeBundle, display = jupyterDisplay()): Promise<void> {
  if (!display) return;
  const bundle = JUPYTER_DISPLAY in value ? (value as Displayable)[JUPYTER_DISPLAY]() : value as MimeBundle;
  await display(bundle, { raw: true });
}

/** Options of {@linkcode notebookSink}. */
export interface NotebookSinkOptions {
  /** Shows a bundle. @default {the kernel's display function; none outside the kernel} */
  display?: DisplayFn;
  /** At most one update per this many milliseconds while tokens stream. @default {200} */
  intervalMs?: number;
  /** The clock. @default {Date.now} */
  now?: () => number;
  /** The id of the display. @default {a new random id} */
  displayId?: string;
}

/**
 * A sink showing the run live in one notebook display that updates in place (throttled) as tokens
 * stream and phases change; at the `stop` event it becomes the full run render, which the saved
 * notebook keeps. It also makes the returned `RunResult` itself displayable (a non-enumerable
 * `Symbol.for("Jupyter.display")` method, invisible to JSON) and remembers the prompts it saw, so
 * `viewRun(result)` shows them turn by turn. Outside the kernel it shows nothing else.
 */
export function notebookSink(options: NotebookSinkOptions = {}): EventSink {
  const display = options.display ?? jupyterDisplay();
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 200;
  const start = () => ({
    view: new LiveView(now),
    updates: display
      ? new Throttled(display, options.displayId ?? `factory-${crypto.randomUUID()}`, intervalMs, now)
      : undefined,
  });
  let run = start();
  return async (event: RunEvent) => {
    if (event.kind === "run_start" && run.view.started) run = start(); // the sink is reused: a new display
    const { view, updates } = run;
    view.apply(event);
    if (event.kind === "stop") {
      rememberPrompts(event.result, view.prompts);
      makeDisplayable(event.result, view.prompts);
      await updates?.flush(view.bundle());
      return;
    }
    await updates?.offer(() => view.bundle());
  };
}

/** Gives a result a non-enumerable display method showing the full run render. */
export function makeDisplayable(result: RunResult, prompts: PromptBook = {}): RunResult & Displayable {
  Object.defineProperty(result, JUPYTER_DISPLAY, {
    value: () => runBundle(result, prompts),
    enumerable: false,
    configurable: true,
  });
  return result as RunResult & Displayable;
}

/** One display updated at most once per interval; the last offer is shown when the interval ends. */
class Throttled {
  readonly #display: DisplayFn;
  readonly #id: string;
  readonly #intervalMs: number;
  readonly #now: () => number;
  #shown = false;
  #lastAt = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #latest: (() => MimeBundle) | undefined;
  #queue: Promise<void> = Promise.resolve();

  constructor(display: DisplayFn, id: string, intervalMs: number, now: () => number) {
    this.#display = display;
    this.#id = id;
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  /** Shows the bundle now if the interval has passed, else once it has. */
  offer(build: () => MimeBundle): Promise<void> {
    this.#latest = build;
    const wait = this.#lastAt + this.#intervalMs - this.#now();
    if (wait <= 0) return this.#send();
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      void this.#send();
    }, wait);
    return Promise.resolve();
  }

  /** Shows this bundle now and cancels any pending update. */
  flush(bundle: MimeBundle): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#latest = () => bundle;
    return this.#send();
  }

  #send(): Promise<void> {
    const build = this.#latest;
    this.#latest = undefined;
    if (!build) return this.#queue;
    this.#lastAt = this.#now();
    const update = this.#shown;
    this.#shown = true;
    const bundle = build();
    this.#queue = this.#queue
      .then(() => this.#display(bundle, { raw: true, display_id: this.#id, update }))
      .catch(() => {}); // a failed display must never fail the run
    return this.#queue;
  }
}
