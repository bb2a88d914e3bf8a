/**
 * Where a run's events go, chosen once from how it was started.
 *
 * @module
 */
import type { EventSink } from "../types.ts";
import { terminalSink } from "../render/terminal.ts";
import type { OutputOptions } from "../render/program_output.ts";
import { jsonLinesSink } from "../render/json_lines.ts";

/** How a run reports: live terminal view, one JSON event per line, only the result line, or nothing. */
export type Output = "terminal" | "json" | "quiet" | "none";

/** The sink of an output; dispose it to stop the terminal's spinner. */
export interface OutputSink extends Disposable {
  /** Pass to `runTask`'s `emit`. */
  emit: EventSink;
}

/** Where a sink writes, and how much program output the terminal view shows. */
export interface SinkIo {
  /** Receives the text. */
  write: (text: string) => void;
  /** Colours and spinner. */
  tty: boolean;
  /** How much of each program's output the terminal view shows. @default {the last 12 lines of each stream} */
  programOutput?: OutputOptions;
}

/** The sink for `output`, writing through `write`. */
export function outputSink(output: Output, io: SinkIo): OutputSink {
  switch (output) {
    case "json":
      return { emit: jsonLinesSink(io.write), [Symbol.dispose]: () => {} };
    case "none":
      return { emit: () => {}, [Symbol.dispose]: () => {} };
    case "terminal":
    case "quiet": {
      const terminal = terminalSink({
        write: io.write,
        tty: io.tty,
        quiet: output === "quiet",
        output: io.programOutput,
      });
      return { emit: terminal.sink, [Symbol.dispose]: () => terminal.close() };
    }
    default: {
      const never: never = output;
      return never;
    }
  }
}
