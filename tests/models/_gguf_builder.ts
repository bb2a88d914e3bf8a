/**
 * Builds small GGUF files byte by byte for tests, following the GGUF v3 layout independently of the
 * reader under test.
 */

/** A metadata value with its GGUF type spelled out. */
export type KV =
  | { type: "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "f32" | "f64"; value: number }
  | { type: "u64" | "i64"; value: bigint }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "array"; items: KV[]; itemType: KV["type"] };

/** A tensor to describe (and fill with zero bytes). */
export interface TensorSpec {
  name: string;
  shape: number[];
  /** ggml type number. */
  type: number;
  /** The data size in bytes. */
  bytes: number;
}

const TYPE_IDS: Record<KV["type"], number> = {
  u8: 0,
  i8: 1,
  u16: 2,
  i16: 3,
  u32: 4,
  i32: 5,
  f32: 6,
  bool: 7,
  string: 8,
  array: 9,
  u64: 10,
  i64: 11,
  f64: 12,
};

class Bytes {
  parts: number[] = [];
  u8(n: number) {
    this.parts.push(n & 0xff);
  }
  raw(bytes: Uint8Array) {
    for (const b of bytes) this.parts.push(b);
  }
  fixed(size: number, write: (view: DataView) => void) {
    const buffer = new Uint8Array(size);
    write(new DataView(buffer.buffer));
    this.raw(buffer);
  }
  u32(n: number) {
    this.fixed(4, (v) => v.setUint32(0, n, true));
  }
  u64(n: number | bigint) {
    this.fixed(8, (v) => v.setBigUint64(0, BigInt(n), true));
  }
  string(s: string) {
    const bytes = new TextEncoder().encode(s);
    this.u64(bytes.length);
    this.raw(bytes);
  }
}

function writeValue(out: Bytes, kv: KV): void {
  switch (kv.type) {
    case "u8":
    case "i8":
      return out.u8(kv.value);
    case "u16":
    case "i16":
      return out.fixed(2, (v) => v.setUint16(0, kv.value & 0xffff, true));
    case "u32":
      return out.u32(kv.value);
    case "i32":
      return out.fixed(4, (v) => v.setInt32(0, kv.value, true));
    case "f32":
      return out.fixed(4, (v) => v.setFloat32(0, kv.value, true));
    case "f64":
      return out.fixed(8, (v) => v.setFloat64(0, kv.value, true));
    case "u64":
      return out.u64(kv.value);
    case "i64":
      return out.fixed(8, (v) => v.setBigInt64(0, kv.value, true));
    case "bool":
      return out.u8(kv.value ? 1 : 0);
    case "string":
      return out.string(kv.value);
    case "array":
      out.u32(TYPE_IDS[kv.itemType]);
      out.u64(kv.items.length);
      for (const item of kv.items) writeValue(out, item);
  }
}

/** Options of {@linkcode buildGguf}. */
export interface BuildOptions {
  version?: number;
  metadata: Record<string, KV>;
  tensors: TensorSpec[];
  /** Data alignment; written as general.alignment when not 32. @default {32} */
  alignment?: number;
  /** Fill byte of the tensor data. @default {0} */
  fill?: number;
}

/** A whole GGUF file: header, KVs, tensor infos, padding, then each tensor's bytes at aligned offsets. */
export function buildGguf(options: BuildOptions): Uint8Array {
  const alignment = options.alignment ?? 32;
  const metadata = { ...options.metadata };
  if (alignment !== 32) metadata["general.alignment"] = { type: "u32", value: alignment };
  const out = new Bytes();
  out.raw(new TextEncoder().encode("GGUF"));
  out.u32(options.version ?? 3);
  out.u64(options.tensors.length);
  out.u64(Object.keys(metadata).length);
  for (const [key, kv] of Object.entries(metadata)) {
    out.string(key);
    out.u32(TYPE_IDS[kv.type]);
    writeValue(out, kv);
  }
  const offsets: number[] = [];
  let offset = 0;
  for (const tensor of options.tensors) {
    offsets.push(offset);
    offset = Math.ceil((offset + tensor.bytes) / alignment) * alignment;
  }
  options.tensors.forEach((tensor, i) => {
    out.string(tensor.name);
    out.u32(tensor.shape.length);
    for (const d of tensor.shape) out.u64(d);
    out.u32(tensor.type);
    out.u64(offsets[i]);
  });
  while (out.parts.length % alignment !== 0) out.u8(0);
  const dataStart = out.parts.length;
  options.tensors.forEach((tensor, i) => {
    while (out.parts.length < dataStart + offsets[i]) out.u8(0);
    for (let b = 0; b < tensor.bytes; b++) out.u8((options.fill ?? 0) + b);
  });
  return new Uint8Array(out.parts);
}

/** The chat template used by the test models. */
export const TEST_TEMPLATE =
  "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}";

/** A small qwen2-like model: two tensors (F32 8×4, Q8_0 32×2), a chat template and a token list. */
export function testModel(overrides: Partial<BuildOptions> = {}): Uint8Array {
  return buildGguf({
    metadata: {
      "general.architecture": { type: "string", value: "qwen2" },
      "general.name": { type: "string", value: "Tiny Test Coder" },
      "general.file_type": { type: "u32", value: 15 },
      "qwen2.context_length": { type: "u32", value: 64 },
      "tokenizer.ggml.tokens": {
        type: "array",
        itemType: "string",
        items: Array.from({ length: 20 }, (_, i) => ({ type: "string", value: `tok${i}` })),
      },
      "tokenizer.chat_template": { type: "string", value: TEST_TEMPLATE },
    },
    tensors: [
      { name: "token_embd.weight", shape: [8, 4], type: 0, bytes: 128 },
      { name: "blk.0.attn_q.weight", shape: [32, 2], type: 8, bytes: 68 },
    ],
    ...overrides,
  });
}
