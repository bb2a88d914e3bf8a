/**
 * A little-endian, buffered, forward-only reader over anything with `read(buffer)`, such as a
 * `Deno.FsFile`. It reads only what is asked for, a chunk at a time. Private to lib/models.
 *
 * @module
 */

/** Anything that fills a buffer and answers how many bytes it wrote, or null at the end. */
export interface ByteSource {
  read(buffer: Uint8Array): Promise<number | null>;
}

/** Thrown by the reader when the bytes do not fit the format; the header reader turns it into a value. */
export class Malformed extends Error {
  override name = "Malformed";
}

const CHUNK = 1 << 20;

/** Reads little-endian numbers and length-prefixed strings, counting the bytes consumed. */
export class ByteReader {
  #source: ByteSource;
  #buffer = new Uint8Array(0);
  #start = 0;
  #consumed = 0;
  #ended = false;
  #decoder = new TextDecoder("utf-8", { fatal: true });

  constructor(source: ByteSource) {
    this.#source = source;
  }

  /** How many bytes have been consumed so far: the offset of the next byte in the file. */
  get offset(): number {
    return this.#consumed;
  }

  /** The next `n` bytes (a view valid until the next read); throws Malformed at the end of the input. */
  async bytes(n: number, what: string): Promise<Uint8Array> {
    await this.#fill(n, what);
    const view = this.#buffer.subarray(this.#start, this.#start + n);
    this.#start += n;
    this.#consumed += n;
    return view;
  }

  /** Skips `n` bytes without keeping them. */
  async skip(n: number, what: string): Promise<void> {
    let left = n;
    while (left > 0) {
      const step = Math.min(left, CHUNK);
      await this.bytes(step, what);
      left -= step;
    }
  }

  async u8(what: string): Promise<number> {
    return (await this.bytes(1, what))[0];
  }

  async u32(what: string): Promise<number> {
    return this.#view(await this.bytes(4, what)).getUint32(0, true);
  }

  async u64(what: string): Promise<bigint> {
    return this.#view(await this.bytes(8, what)).getBigUint64(0, true);
  }

  /** A u64 that must fit a JavaScript number (≤ 2^53 − 1). */
  async size(what: string): Promise<number> {
    const value = await this.u64(what);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Malformed(`${what} is too large: ${value}`);
    return Number(value);
  }

  /** A GGUF string: a u64 byte length, then UTF-8 bytes. `max` bounds the length. */
  async string(what: string, max: number): Promise<string> {
    const length = await this.size(`length of ${what}`);
    if (length > max) throw new Malformed(`${what} is ${length} bytes long, more than ${max}`);
    try {
      return this.#decoder.decode(await this.bytes(length, what));
    } catch (error) {
      if (error instanceof Malformed) throw error;
      throw new Malformed(`${what} is not valid UTF-8`);
    }
  }

  #view(bytes: Uint8Array): DataView {
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async #fill(n: number, what: string): Promise<void> {
    if (this.#buffer.length - this.#start >= n) return;
    const kept = this.#buffer.subarray(this.#start);
    const next = new Uint8Array(Math.max(n, CHUNK) + kept.length);
    next.set(kept);
    let filled = kept.length;
    while (filled < n && !this.#ended) {
      const read = await this.#source.read(next.subarray(filled));
      if (read === null) this.#ended = true;
      else filled += read;
    }
    this.#buffer = next.subarray(0, filled);
    this.#start = 0;
    if (filled < n) throw new Malformed(`the file ends inside ${what} at byte ${this.#consumed + filled}`);
  }
}
