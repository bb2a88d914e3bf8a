/**
 * Reads the metadata of a GGUF file: the header, the key-value pairs and the tensor infos, never the
 * tensor data. Layout (version 2 and 3, little-endian): magic `GGUF`, version u32, tensor count u64,
 * KV count u64, then each KV as (string key, u32 type, value), then each tensor as (string name,
 * u32 n_dims, u64 dims[n_dims], u32 ggml type, u64 offset). Tensor data starts at the next multiple of
 * `general.alignment` (32 when absent). Strings are a u64 byte length and UTF-8 bytes.
 *
 * @module
 */

import { ByteReader, type ByteSource, Malformed } from "./_byte_reader.ts";

export type { ByteSource } from "./_byte_reader.ts";

/** A scalar metadata value. 64-bit integers are numbers when they fit, bigints otherwise. */
export type GgufScalar = number | bigint | boolean | string;

/** An array value: its length and its first few items (see `maxArrayItems`). */
export interface GgufArray {
  kind: "array";
  /** The GGUF value type of the items (8 = string, 9 = array, …). */
  itemType: number;
  length: number;
  /** The first `min(length, maxArrayItems)` items. */
  items: GgufValue[];
}

/** One metadata value. */
export type GgufValue = GgufScalar | GgufArray;

/** Where one tensor is and what it holds. */
export interface GgufTensorInfo {
  name: string;
  /** Dimensions, innermost first, as stored. */
  shape: number[];
  /** The ggml type number (see ggml_types.ts). */
  type: number;
  /** Offset of the tensor's data from the start of the data section. */
  offset: number;
  /** The product of the dimensions. */
  elements: number;
}

/** Everything before the tensor data. */
export interface GgufHeader {
  version: number;
  metadata: Map<string, GgufValue>;
  tensors: GgufTensorInfo[];
  /** `general.alignment`, or 32. */
  alignment: number;
  /** The file offset where tensor data starts. */
  dataOffset: number;
}

/** The outcome of reading a header: a bad file is a value, not an exception. */
export type GgufRead =
  | { kind: "gguf"; header: GgufHeader }
  /** Not a GGUF file this reader understands; `reason` says why, `offset` where. */
  | { kind: "invalid"; reason: string; offset: number };

/** Options of {@linkcode readGgufHeader}. */
export interface GgufReadOptions {
  /** How many items of each array to keep (tokenizer arrays hold ~150k strings). @default {8} */
  maxArrayItems?: number;
  /** The longest string value accepted, in bytes. @default {16 MiB} */
  maxStringBytes?: number;
  /** Keys whose arrays are kept whole, whatever `maxArrayItems` says (`tokenizer.ggml.tokens`). */
  wholeArrays?: readonly string[];
}

const MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
const MAX_COUNT = 1 << 20;
const MAX_DIMS = 8;
const FIXED_SIZES: Record<number, number> = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  10: 8,
  11: 8,
  12: 8,
};

interface Limits {
  maxArrayItems: number;
  maxStringBytes: number;
  wholeArrays: readonly string[];
}

/**
 * Reads a GGUF header from a path (opened and closed here) or an open source such as a `Deno.FsFile`
 * positioned at the start of the file. Reads only the metadata, a chunk at a time. Answers
 * `{ kind: "invalid" }` for a file that is not GGUF v2/v3 or is cut short; file-system errors (a
 * missing file) are thrown as they are.
 */
export async function readGgufHeader(
  source: string | ByteSource,
  options: GgufReadOptions = {},
): Promise<GgufRead> {
  const limits = {
    maxArrayItems: options.maxArrayItems ?? 8,
    maxStringBytes: options.maxStringBytes ?? 1 << 24,
    wholeArrays: options.wholeArrays ?? [],
  };
  if (typeof source !== "string") return await parse(new ByteReader(source), limits);
  using file = await Deno.open(source, { read: true });
  return await parse(new ByteReader(file), limits);
}

async function parse(reader: ByteReader, limits: Limits): Promise<GgufRead> {
  try {
    return { kind: "gguf", header: await parseHeader(reader, limits) };
  } catch (error) {
    if (!(error instanceof Malformed)) throw error;
    return { kind: "invalid", reason: error.message, offset: reader.offset };
  }
}

async function parseHeader(reader: ByteReader, limits: Limits): Promise<GgufHeader> {
  const magic = await reader.u32("the magic number");
  if (magic !== MAGIC) throw new Malformed(`the magic number is 0x${magic.toString(16)}, not "GGUF"`);
  const version = await reader.u32("the version");
  if (version !== 2 && version !== 3) {
    throw new Malformed(`GGUF version ${version} is not supported (only 2 and 3)`);
  }
  const tensorCount = await count(reader, "the tensor count");
  const kvCount = await count(reader, "the key-value count");
  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = await reader.string(`key ${i}`, 1 << 16);
    const type = await reader.u32(`the type of ${key}`);
    metadata.set(key, await readValue(reader, type, key, limits));
  }
  const tensors: GgufTensorInfo[] = [];
  for (let i = 0; i < tensorCount; i++) tensors.push(await readTensorInfo(reader, i));
  const alignment = metadata.get("general.alignment") ?? 32;
  if (typeof alignment !== "number" || alignment <= 0 || !Number.isInteger(alignment)) {
    throw new Malformed(`general.alignment is not a positive integer: ${String(alignment)}`);
  }
  const dataOffset = Math.ceil(reader.offset / alignment) * alignment;
  return { version, metadata, tensors, alignment, dataOffset };
}

async function count(reader: ByteReader, what: string): Promise<number> {
  const n = await reader.size(what);
  if (n > MAX_COUNT) throw new Malformed(`${what} is implausibly large: ${n}`);
  return n;
}

async function readTensorInfo(reader: ByteReader, index: number): Promise<GgufTensorInfo> {
  const name = await reader.string(`the name of tensor ${index}`, 1 << 16);
  const dims = await reader.u32(`the dimension count of ${name}`);
  if (dims > MAX_DIMS) throw new Malformed(`tensor ${name} has ${dims} dimensions`);
  const shape: number[] = [];
  for (let d = 0; d < dims; d++) shape.push(await reader.size(`dimension ${d} of ${name}`));
  const type = await reader.u32(`the type of ${name}`);
  const offset = await reader.size(`the offset of ${name}`);
  const elements = shape.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(elements)) throw new Malformed(`tensor ${name} has too many elements`);
  return { name, shape, type, offset, elements };
}

async function readValue(reader: ByteReader, type: number, what: string, limits: Limits): Promise<GgufValue> {
  if (type === 8) return await reader.string(what, limits.maxStringBytes);
  if (type === 9) return await readArray(reader, what, limits);
  const size = FIXED_SIZES[type];
  if (size === undefined) throw new Malformed(`${what} has unknown value type ${type}`);
  const bytes = await reader.bytes(size, what);
  const view = new DataView(bytes.buffer, bytes.byteOffset, size);
  switch (type) {
    case 0:
      return view.getUint8(0);
    case 1:
      return view.getInt8(0);
    case 2:
      return view.getUint16(0, true);
    case 3:
      return view.getInt16(0, true);
    case 4:
      return view.getUint32(0, true);
    case 5:
      return view.getInt32(0, true);
    case 6:
      return view.getFloat32(0, true);
    case 7:
      return view.getUint8(0) !== 0;
    case 10:
      return narrow(view.getBigUint64(0, true));
    case 11:
      return narrow(view.getBigInt64(0, true));
    default:
      return view.getFloat64(0, true);
  }
}

async function readArray(reader: ByteReader, what: string, limits: Limits): Promise<GgufArray> {
  const itemType = await reader.u32(`the item type of ${what}`);
  const length = await reader.size(`the length of ${what}`);
  const items: GgufValue[] = [];
  const fixed = FIXED_SIZES[itemType];
  const keep = limits.wholeArrays.includes(what) ? length : limits.maxArrayItems;
  for (let i = 0; i < length; i++) {
    if (i >= keep && fixed !== undefined) {
      await reader.skip((length - i) * fixed, what);
      break;
    }
    const item = await readValue(reader, itemType, `${what}[${i}]`, limits);
    if (i < keep) items.push(item);
  }
  return { kind: "array", itemType, length, items };
}

function narrow(value: bigint): number | bigint {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}
