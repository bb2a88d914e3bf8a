/**
 * `--json`: one JSON object per event per line on stdout.
 *
 * @module
 */
import type { EventSink, RunEvent } from "../types.ts";

/** A sink writing each event as a line of JSON to `write`. */
export function jsonLinesSink(write: (line: string) => void | Promise<void>): EventSink {
  return (event: RunEvent) => write(JSON.stringify(event) + "\n");
}
