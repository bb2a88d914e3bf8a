/**
 * The terminal sink: live tokens, colours, a spinner while waiting, timings, and the result. The only
 * place in lib/ that writes to the terminal (through an injected writer).
 *
 * @module
 */
import type { EventSink, RunEvent } from "../types.ts";
import {
  describeChecks,
  describeDerived,
  describeDraft,
  describeExec,
  describeOpinion,
  describeResult,
} from "./format.ts";

/** Where and how the terminal sink writes. */
export interface TerminalOptions {
  /** Receives the output text. @default synchronous writes to stdout */
  write?: (text: string) => void;
  /** Colours and spinner. @default stdout is a terminal and NO_COLOR is unset */
  tty?: boolean;
  /** Only the final result. */
  quiet?: boolean;
  /** Stream model tokens as they arrive. @default {true} */
  showTokens?: boolean;
}

const CODES = { dim: 2, bold: 1, red: 31, green: 32, yellow: 33, cyan: 36 } as const;
const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** A terminal sink; call `close()` (or dispose) to stop its spinner. */
export interface TerminalSink extends Disposable {
  /** The event sink to pass to `runTask`. */
  sink: EventSink;
  /** Stops the spinner. */
  close(): void;
}

/** Creates the terminal sink. */
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
    write(paint("dim", text));
    midLine = !text.endsWith("\n");
  };
  const sink = (event: RunEvent) => {
    if (options.quiet) {
      if (event.kind === "stop") write(describeResult(event.result)[0] + "\n");
      return;
    }
    render(event, { line, token, paint, spin: (label) => spinner.start(label) });
  };
  const close = () => spinner.stop();
  return { sink, close, [Symbol.dispose]: close };
}

interface Out {
  line(text: string): void;
  token(text: string): void;
  paint(code: keyof typeof CODES, text: string): string;
  spin(label: string): void;
}

function render(event: RunEvent, out: Out): void {
  const { line, paint } = out;
  switch (event.kind) {
    case "run_start":
      line(
        paint(
          "bold",
          `factory · ${event.task.name} (${event.task.language}) · up to ${event.limits.maxAttempts} attempts`,
        ),
      );
      if (event.task.derived) line(describeDerived(event.task.derived));
      break;
    case "coder_start":
      line(paint("cyan", `── attempt ${event.attempt} · Coder`));
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
    case "exec_done":
      line(
        `${paint(event.result.kind === "exited" && event.result.code === 0 ? "green" : "red", "Run")} ${
          describeExec(event.result)
        }`,
      );
      break;
    case "checks":
      if (event.results.length === 0) break;
      line(
        `${paint(event.results.every((r) => r.passed) ? "green" : "red", "Checks")} ${
          describeChecks(event.results)
        }`,
      );
      for (const r of event.results.filter((r) => !r.passed)) {
        line(paint("red", `  ✗ ${r.name}: ${r.detail.split("\n")[0]}`));
      }
      break;
    case "sheriff_start":
      line(paint("cyan", `── attempt ${event.attempt} · Sheriff`));
      out.spin("Sheriff is reviewing");
      break;
    case "sheriff_done":
      line(`${paint("bold", "Sheriff")} ${describeOpinion(event.opinion)}`);
      break;
    case "verdict":
      line(
        event.verdict.passed
          ? paint("green", `✓ attempt ${event.attempt} passed`)
          : paint("red", `✗ attempt ${event.attempt} failed`),
      );
      for (const reason of event.verdict.reasons) line(paint("dim", `  · ${reason}`));
      if (event.verdict.overruled) line(paint("yellow", "  the Sheriff said PASS; the facts overruled it"));
      break;
    case "model_call":
      if (event.error) line(paint("red", `model call failed: ${event.error}`));
      break;
    case "stop": {
      const [head, ...rest] = describeResult(event.result);
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

/** A one-line spinner with elapsed time; does nothing off a terminal. */
class Spinner {
  #timer: ReturnType<typeof setInterval> | undefined;
  #write: (text: string) => void;
  #tty: boolean;
  constructor(write: (text: string) => void, tty: boolean) {
    this.#write = write;
    this.#tty = tty;
  }
  start(label: string): void {
    this.stop();
    if (!this.#tty) return;
    const started = Date.now();
    let frame = 0;
    const draw = () => {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      this.#write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${label} ${secs} s`);
    };
    draw();
    this.#timer = setInterval(draw, 100);
  }
  stop(): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#write("\r\x1b[2K");
  }
}
