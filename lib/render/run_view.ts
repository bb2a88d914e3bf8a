/**
 * {@linkcode RunView}: a run with the prompts its turns were given, displayable as a whole and turn by
 * turn. A live run (through `notebookSink`) and a run loaded from its artifacts both become one.
 *
 * @module
 */
import type { Attempt, RunResult } from "../types.ts";
import {
  attemptBundle,
  coderBundle,
  execBundle,
  JUPYTER_DISPLAY,
  type MimeBundle,
  Rich,
  runBundle,
  sheriffBundle,
} from "./bundles.ts";
import { type PromptBook, rememberedPrompts } from "./prompt_book.ts";

/** A run to look at: the whole run displays as one rich output; each part has its own. */
export class RunView {
  /** The run. */
  readonly result: RunResult;
  /** The prompts of each attempt's turns (empty when unknown). */
  readonly prompts: PromptBook;
  /** What could not be read back (for a loaded run), one sentence each. */
  readonly notes: readonly string[];

  /** Wraps a result; `prompts` come from its `model_call` events. */
  constructor(result: RunResult, prompts: PromptBook = {}, notes: readonly string[] = []) {
    this.result = result;
    this.prompts = prompts;
    this.notes = notes;
  }

  /** Attempt `n` (1-based); a RangeError when the run has no such attempt. */
  attemptAt(n: number): Attempt {
    const attempt = this.result.attempts.find((a) => a.number === n);
    if (!attempt) {
      throw new RangeError(
        `Run ${this.result.runId} has no attempt ${n}: it has ${this.result.attempts.length}`,
      );
    }
    return attempt;
  }

  /** Attempt `n`, all three turns. */
  attempt(n: number): Rich {
    const a = this.attemptAt(n);
    return new Rich(() => attemptBundle(a, this.result.task.language, this.prompts[n]));
  }

  /** The Coder turn of attempt `n`, with its prompt. */
  coder(n: number): Rich {
    const a = this.attemptAt(n);
    return new Rich(() => coderBundle(a, this.result.task.language, this.prompts[n]?.coder));
  }

  /** The execution and checks of attempt `n`. */
  execution(n: number): Rich {
    const a = this.attemptAt(n);
    return new Rich(() => execBundle(a));
  }

  /** The Sheriff turn of attempt `n`, with its prompt. */
  sheriff(n: number): Rich {
    const a = this.attemptAt(n);
    return new Rich(() => sheriffBundle(a, this.prompts[n]?.sheriff));
  }

  /** The whole run's bundle. */
  bundle(): MimeBundle {
    return runBundle(this.result, this.prompts, this.notes);
  }

  /** Called by the Jupyter kernel. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return this.bundle();
  }

  /** The plain-text summary. */
  toString(): string {
    return this.bundle()["text/plain"];
  }
}

/**
 * A displayable view of a run result, with the prompts when known (by default those the notebook sink
 * saw during the run).
 */
export function viewRun(result: RunResult, prompts: PromptBook = rememberedPrompts(result)): RunView {
  return new RunView(result, prompts);
}
