/**
 * Where a run's events go, chosen once from how it was started.
 *
 * @module
 */
import type { EventSink } from "../types.ts";
import { terminalSink } from "../render/terminal.ts";
import { jsonLinesSink } from "../render/json_lines.ts";

/** How a run reports: live terminal view, one JSON event per line, only the result line, or nothing. */
export type Output = "terminal" | "json" | "quiet" | "none";

/** The sink of an output; dispose it to stop the terminal's spinner. */
export interface OutputSink extends Disposable {
  /** Pass to `runTask`'s `emit`. */
  emit: EventSink;
}

/** The sink for `output`, writing through `write`. */
export function outputSink(output: Output, io: { write: (text: string) => void; tty: boolean }): OutputSink {
  switch (output) {
    case "json":
      return { emit: jsonLinesSink(io.write), [Symbol.dispose]: () => {} };
    case "none":
      return { emit: () => {}, [Symbol.dispose]: () => {} };
    case "terminal":
    case "quiet": {
      const terminal = terminalSink({ write: io.write, tty: io.tty, quiet: output === "quiet" });
      return { emit: terminal.sink, [Symbol.dispose]: () => terminal.close() };
    }
    default: {
      const never: never = output;
      return never;
    }
  }
}
