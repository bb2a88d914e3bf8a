/**
 * Captures a program's output stream within a byte cap, keeping its head and tail.
 *
 * @module
 */

import type { Captured } from "../types.ts";

/** The default cap per stream: 32 KiB of head plus 32 KiB of tail. */
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;

/** Options for {@linkcode captureStream}. */
export interface CaptureOptions {
  /** Bytes kept in total, split evenly between head and tail. @default {DEFAULT_MAX_OUTPUT_BYTES} */
  maxBytes?: number;
  /**
   * Stops reading when aborted: the stream is cancelled and what was read so far is returned. Used after
   * the process has ended, so a grandchild holding the pipe open cannot keep the caller waiting.
   */
  signal?: AbortSignal;
}

/** The line that replaces the omitted middle of a truncated stream. */
export function omittedMarker(bytes: number): string {
  return `[... ${bytes} bytes omitted ...]`;
}

/**
 * Reads `stream` to its end (or until `signal` aborts), keeping at most `maxBytes`: the first half and the
 * last half. It always keeps draining, so a chatty child never stalls on a full pipe. `bytes` counts every
 * byte read. Never rejects: a read error ends the capture with what was read.
 */
export async function captureStream(
  stream: ReadableStream<Uint8Array>,
  options: CaptureOptions = {},
): Promise<Captured> {
  const { maxBytes = DEFAULT_MAX_OUTPUT_BYTES, signal } = options;
  if (!Number.isInteger(maxBytes) || maxBytes < 2) {
    throw new RangeError(`Cannot capture output: maxBytes must be an integer of at least 2, got ${maxBytes}`);
  }
  const keeper = new HeadTail(Math.floor(maxBytes / 2), maxBytes - Math.floor(maxBytes / 2));
  const reader = stream.getReader();
  const cancel = () => void reader.cancel().catch(() => {});
  if (signal?.aborted) cancel();
  signal?.addEventListener("abort", cancel, { once: true });
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      keeper.push(value);
    }
  } catch {
    // A cancelled or broken pipe ends the capture; what was read is still worth keeping.
  } finally {
    signal?.removeEventListener("abort", cancel);
    reader.releaseLock();
  }
  return keeper.result();
}

/** Keeps the first `headCap` bytes and the last `tailCap` bytes of everything pushed. */
class HeadTail {
  #head: Uint8Array;
  #headLength = 0;
  #tail: Uint8Array[] = [];
  #tailLength = 0;
  #total = 0;

  constructor(headCap: number, readonly tailCap: number) {
    this.#head = new Uint8Array(headCap);
  }

  push(chunk: Uint8Array): void {
    this.#total += chunk.length;
    const intoHead = Math.min(chunk.length, this.#head.length - this.#headLength);
    if (intoHead > 0) {
      this.#head.set(chunk.subarray(0, intoHead), this.#headLength);
      this.#headLength += intoHead;
    }
    const rest = chunk.subarray(intoHead);
    if (rest.length === 0) return;
    this.#tail.push(rest.length > this.tailCap ? rest.slice(rest.length - this.tailCap) : rest.slice());
    this.#tailLength += Math.min(rest.length, this.tailCap);
    this.#trimTail();
  }

  result(): Captured {
    const head = this.#head.subarray(0, this.#headLength);
    const tail = concat(this.#tail, this.#tailLength);
    const omitted = this.#total - head.length - tail.length;
    if (omitted === 0) {
      return {
        text: new TextDecoder().decode(concat([head, tail], this.#total)),
        bytes: this.#total,
        truncated: false,
      };
    }
    // Cut at character boundaries: drop a partial UTF-8 sequence at the end of the head and the start of the tail.
    const headText = new TextDecoder().decode(head, { stream: true });
    const tailText = new TextDecoder().decode(tail.subarray(continuationBytes(tail)));
    const joint = headText.endsWith("\n") ? "" : "\n";
    return {
      text: `${headText}${joint}${omittedMarker(omitted)}\n${tailText}`,
      bytes: this.#total,
      truncated: true,
    };
  }

  #trimTail(): void {
    while (this.#tailLength > this.tailCap) {
      const excess = this.#tailLength - this.tailCap;
      const first = this.#tail[0];
      if (first.length <= excess) {
        this.#tail.shift();
        this.#tailLength -= first.length;
      } else {
        this.#tail[0] = first.subarray(excess);
        this.#tailLength -= excess;
      }
    }
  }
}

/** How many leading bytes (at most 3) are UTF-8 continuation bytes. */
function continuationBytes(bytes: Uint8Array): number {
  let n = 0;
  while (n < 3 && n < bytes.length && (bytes[n] & 0xc0) === 0x80) n++;
  return n;
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
