/**
 * `transcript.jsonl`: every event and every model request and reply, one JSON object per line
 * ({@linkcode TranscriptLine}), written as the run goes so an interrupted run keeps everything up to the
 * interruption.
 *
 * @module
 */
import type { RunEvent } from "../types.ts";
import type { TranscriptLine } from "./run_schema.ts";

/** An open transcript file. */
export interface Transcript {
  append(event: RunEvent): Promise<void>;
  close(): Promise<void>;
}

/** Opens (creating) a transcript file for appending. */
export async function openTranscript(path: string, now: () => number = Date.now): Promise<Transcript> {
  const file = await Deno.open(path, { create: true, append: true });
  const encoder = new TextEncoder();
  let closed = false;
  return {
    async append(event) {
      if (closed) return;
      const line = JSON.stringify({ at: new Date(now()).toISOString(), ...event } satisfies TranscriptLine) +
        "\n";
      const bytes = encoder.encode(line);
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
    },
    close() {
      if (!closed) {
        closed = true;
        file.close();
      }
      return Promise.resolve();
    },
  };
}
