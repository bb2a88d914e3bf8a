/**
 * factory in a Jupyter notebook (Deno's kernel, `deno jupyter --install`): a model server started from a
 * cell, a live display of a run, past runs read back from their artifacts and displayed turn by turn,
 * and tables comparing runs. The core (`runTask`, tasks, config, limits) comes from the main entry,
 * `mod.ts`; benchmark results (`loadBenchResults`) from `bench.ts`.
 *
 * ```ts ignore
 * import { runTask } from "../mod.ts";
 * import { latestRunDir, loadRun, notebookSettings } from "../notebook.ts";
 *
 * const settings = notebookSettings();
 * const run = await loadRun(await latestRunDir(settings.outDir));
 * run.attempt(1); // the last expression of a cell is displayed
 * ```
 *
 * @module
 */
import type { RunResult, Summary } from "./lib/types.ts";
import { readRun, readRuns, type StoredRun } from "./lib/store/read_run.ts";
import { summaryOf } from "./lib/store/summary.ts";
import { RunView } from "./lib/render/run_view.ts";
import { promptsFromEvents } from "./lib/render/prompt_book.ts";
import type { Rich } from "./lib/render/bundles.ts";
import * as comparison from "./lib/render/compare_runs.ts";
import type { ComparisonRow } from "./lib/render/compare_runs.ts";

/** A model server for a notebook, and the settings notebooks read from the environment. */
export { notebookServer, notebookSettings } from "./lib/setup/notebook_server.ts";
/** Options and handle of {@linkcode notebookServer}; the settings. */
export type { NotebookServer, NotebookServerOptions, NotebookSettings } from "./lib/setup/notebook_server.ts";
/** Live notebook display of a run (the only code touching `Deno.jupyter`), and showing values mid-cell. */
export { inJupyter, makeDisplayable, notebookSink, show } from "./lib/render/notebook.ts";
/** Options of {@linkcode notebookSink}, and the display function it calls. */
export type { DisplayCallOptions, DisplayFn, NotebookSinkOptions } from "./lib/render/notebook.ts";
/** A run (live or loaded) displayable as a whole and turn by turn. */
export { RunView, viewRun } from "./lib/render/run_view.ts";
/** MIME bundles of runs, attempts and turns, and the displayable wrapper. */
export {
  attemptBundle,
  coderBundle,
  execBundle,
  JUPYTER_DISPLAY,
  Rich,
  runBundle,
  sheriffBundle,
} from "./lib/render/bundles.ts";
/** A MIME bundle, and what Jupyter can display. */
export type { Displayable, MimeBundle } from "./lib/render/bundles.ts";
/** The prompts of each turn, from a run's events. */
export { promptsFromEvents } from "./lib/render/prompt_book.ts";
/** Prompts by attempt and persona. */
export type { PromptBook, TurnPrompts } from "./lib/render/prompt_book.ts";
/** The one HTML escaping function, and HTML known to be safe. */
export { escapeHtml, SafeHtml } from "./lib/render/html.ts";
/** Highlights a Python or TypeScript program as escaped HTML. */
export { highlight } from "./lib/render/highlight.ts";
/** The run directories under an output folder, oldest first, and the latest one. */
export { latestRunDir, listRuns } from "./lib/store/list_runs.ts";
/** Past runs read back as plain data: the result, the transcript's events, notes on what is missing. */
export { readRun, readRuns } from "./lib/store/read_run.ts";
/** A run read back from its directory. */
export type { StoredRun } from "./lib/store/read_run.ts";
/** One row of {@linkcode compareRuns}. */
export type { ComparisonRow };

/**
 * Loads the run in `dir` (a run's artifacts directory) as a {@linkcode RunView} that displays like the
 * live run, prompts included; notes say what could not be read back. Throws ConfigError when `dir` is
 * not a run's directory.
 */
export async function loadRun(dir: string): Promise<RunView> {
  return viewStored(await readRun(dir));
}

/** Loads every run under `outDir` (such as `runs/`), oldest first. */
export async function loadRuns(outDir: string): Promise<RunView[]> {
  return (await readRuns(outDir)).map(viewStored);
}

function viewStored(run: StoredRun): RunView {
  return new RunView(run.result, promptsFromEvents(run.events), run.notes);
}

/** What can be compared: a result, a loaded run, or a run's summary (`summary.json`). */
export type Comparable = RunResult | RunView | Summary;

/** The comparison row of one run. */
export function comparisonRow(run: Comparable): ComparisonRow {
  return comparison.comparisonRow(summaryOfAny(run));
}

/** A displayable table comparing the runs, in the order given. */
export function compareRuns(runs: readonly Comparable[]): Rich {
  return comparison.compareRuns(runs.map(summaryOfAny));
}

function summaryOfAny(run: Comparable): Summary {
  if (run instanceof RunView) return summaryOf(run.result);
  return typeof run.task === "string" ? run as Summary : summaryOf(run as RunResult);
}
