/**
 * The terminal sink: live tokens, colours, a spinner while waiting, timings, the program's output and
 * the result. The only place in lib/ that writes to the terminal (through an injected writer). Text
 * from programs and models is escaped for the terminal.
 *
 * @module
 */
import type { EventSink, RunEvent } from "../types.ts";
import { plural } from "../host/plural.ts";
import {
  describeChecks,
  describeDerived,
  describeDraft,
  describeExec,
  describeOpinion,
  describeResult,
  describeSpeed,
} from "./format.ts";
import { failedCheckLines, type Line, outputLines, type OutputOptions } from "./program_output.ts";
import { printable, printableDeep } from "../host/printable.ts";
import { Spinner } from "./_spinner.ts";

/** Where and how the terminal sink writes. */
export interface TerminalOptions {
  /** Receives the output text. @default synchronous writes to stdout */
  write?: (text: string) => void;
  /** Colours and spinner. @default stdout is a terminal and NO_COLOR is unset */
  tty?: boolean;
  /** Only the result line and where the artifacts are. */
  quiet?: boolean;
  /** Stream model tokens as they arrive. @default {true} */
  showTokens?: boolean;
  /** How much of each program's stdout and stderr to show. @default {the last 12 lines of each} */
  output?: OutputOptions;
}

const CODES = { dim: 2, bold: 1, red: 31, green: 32, yellow: 33, cyan: 36 } as const;

/** A terminal sink; call `close()` (or dispose) to stop its spinner. */
export interface TerminalSink extends Disposable {
  /** The event sink to pass to `runTask`. */
  sink: EventSink;
  /** Stops the spinner. */
  close(): void;
}

/**
 * Creates the terminal sink.
 *
 * @example
 * ```ts
 * import { terminalSink } from "../../mod.ts";
 *
 * using terminal = terminalSink({ quiet: true });
 * // pass terminal.sink as runTask's `emit`; disposal stops the spinner
 * ```
 */
export function terminalSink(options: TerminalOptions = {}): TerminalSink {
  const encoder = new TextEncoder();
  const write = options.write ?? ((text: string) => void Deno.stdout.writeSync(encoder.encode(text)));
  const tty = options.tty ?? (Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR"));
  const paint = (
    code: keyof typeof CODES,
    text: string,
  ) => (tty ? `\x1b[${CODES[code]}m${text}\x1b[0m` : text);
  const spinner = new Spinner(write, tty);
  let midLine = false;
  const line = (text: string) => {
    spinner.stop();
    write(`${midLine ? "\n" : ""}${text}\n`);
    midLine = false;
  };
  const token = (text: string) => {
    if (options.showTokens === false) return;
    spinner.stop();
    write(paint("dim", printable(text)));
    midLine = !text.endsWith("\n");
  };
  const out: Out = {
    line,
    token,
    paint,
    spin: (label) => spinner.start(label),
    output: options.output ?? {},
  };
  const state: State = { shownChecks: new Set() };
  const sink = (raw: RunEvent) => {
    // Model and program text is in the events: every string is made printable before it is shown.
    const event = printableDeep(raw);
    if (!options.quiet) return render(event, out, state);
    if (event.kind !== "stop") return;
    const [head] = describeResult(event.result);
    write(`${printable(head)}\n${event.result.dir ? `artifacts ${event.result.dir}\n` : ""}`);
  };
  const close = () => spinner.stop();
  return { sink, close, [Symbol.dispose]: close };
}

interface Out {
  line(text: string): void;
  token(text: string): void;
  paint(code: keyof typeof CODES, text: string): string;
  spin(label: string): void;
  output: OutputOptions;
}

/** What the sink remembers between events: the expected stdout, the last stdout, the checks shown. */
interface State {
  expectedStdout?: string;
  lastStdout?: string;
  shownChecks: Set<string>;
}

function render(event: RunEvent, out: Out, state: State): void {
  const { line, paint } = out;
  const lines = (list: Line[]) => {
    for (const l of list) line(l.tone ? paint(l.tone, l.text) : l.text);
  };
  switch (event.kind) {
    case "run_start":
      state.expectedStdout = event.task.checks.stdout;
      line(
        paint(
          "bold",
          `factory · ${event.task.name} (${event.task.language}) · up to ${
            plural(event.limits.maxAttempts, "attempt")
          }`,
        ),
      );
      if (event.task.derived) line(describeDerived(event.task.derived));
      break;
    case "coder_start":
      state.shownChecks.clear();
      state.lastStdout = undefined;
      line(
        paint("cyan", `── attempt ${event.attempt} · Coder${event.again ? ` again: ${event.again}` : ""}`),
      );
      out.spin("Coder is thinking");
      break;
    case "coder_token":
    case "sheriff_token":
      out.token(event.text);
      break;
    case "coder_done":
      line(
        `${paint(event.draft.kind === "code" ? "green" : "yellow", "Coder")} ${describeDraft(event.draft)}`,
      );
      break;
    case "exec_start":
      out.spin(`running the ${event.language} program`);
      break;
    case "exec_done": {
      const ok = event.result.kind === "exited" && event.result.code === 0;
      state.lastStdout = event.result.kind === "refused" ? undefined : event.result.stdout.text;
      line(`${paint(ok ? "green" : "red", "Run")} ${printable(describeExec(event.result))}`);
      lines(outputLines(event.result, out.output));
      break;
    }
    case "checks":
      if (event.results.length === 0) break;
      line(
        `${paint(event.results.every((r) => r.passed) ? "green" : "red", "Checks")} ${
          describeChecks(event.results)
        }`,
      );
      lines(failedCheckLines(event.results, { expected: state.expectedStdout, actual: state.lastStdout }));
      for (const r of event.results) if (!r.passed) state.shownChecks.add(r.name);
      break;
    case "sheriff_start":
      line(paint("cyan", `── attempt ${event.attempt} · Sheriff`));
      out.spin("Sheriff is reviewing");
      break;
    case "sheriff_done": {
      line(`${paint("bold", "Sheriff")} ${printable(describeOpinion(event.opinion))}`);
      const speed = event.opinion.kind === "skipped" ? "" : describeSpeed(event.opinion.reply);
      if (speed) line(paint("dim", `  ${speed}`));
      break;
    }
    case "verdict":
      line(
        event.verdict.passed
          ? paint("green", `✓ attempt ${event.attempt} passed`)
          : paint("red", `✗ attempt ${event.attempt} failed`),
      );
      for (const reason of event.verdict.reasons) {
        line(paint("dim", `  · ${printable(shortReason(reason, state.shownChecks))}`));
      }
      if (event.verdict.overruled) line(paint("yellow", "  the Sheriff said PASS; the facts overruled it"));
      break;
    case "model_call":
      if (event.error) line(paint("red", `model call failed: ${printable(event.error)}`));
      break;
    case "stop": {
      const [head, ...rest] = describeResult(event.result).map(printable);
      line(paint(event.result.status === "passed" ? "green" : "red", paint("bold", head)));
      for (const text of rest) line(paint("dim", text));
      break;
    }
    default: {
      const never: never = event;
      return never;
    }
  }
}

/** A failed check's reason without its detail when the check was shown above (said once). */
function shortReason(reason: string, shown: ReadonlySet<string>): string {
  const match = /^check (\S+) failed: /.exec(reason);
  return match && shown.has(match[1]) ? `check ${match[1]} failed (shown above)` : reason;
}
