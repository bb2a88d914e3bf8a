/**
 * `--json`: one JSON object per event per line on stdout.
 *
 * @module
 */
import type { EventSink, RunEvent } from "../types.ts";
import { escapeJsonControls } from "../host/printable.ts";

/**
 * A sink writing each event as a line of JSON to `write`. Control characters in it (model and program
 * text) are all `\u` escapes, C1 and bidi controls included: the same data, nothing raw for a terminal.
 */
export function jsonLinesSink(write: (line: string) => void | Promise<void>): EventSink {
  return (event: RunEvent) => write(escapeJsonControls(JSON.stringify(event)) + "\n");
}
