/**
 * The ggml tensor types and llama.cpp file types a GGUF file names by number, with the block layout
 * needed to compute how many bytes a tensor's data takes. Values follow llama.cpp's
 * `gguf-py/gguf/constants.py` (`GGMLQuantizationType`, `GGML_QUANT_SIZES`, `LlamaFileType`).
 *
 * @module
 */

/** One ggml tensor type: its name and how many elements fit in a block of how many bytes. */
export interface GgmlType {
  name: string;
  blockSize: number;
  typeSize: number;
}

const QK_K = 256;

const TYPES: Record<number, GgmlType> = {
  0: { name: "F32", blockSize: 1, typeSize: 4 },
  1: { name: "F16", blockSize: 1, typeSize: 2 },
  2: { name: "Q4_0", blockSize: 32, typeSize: 2 + 16 },
  3: { name: "Q4_1", blockSize: 32, typeSize: 2 + 2 + 16 },
  6: { name: "Q5_0", blockSize: 32, typeSize: 2 + 4 + 16 },
  7: { name: "Q5_1", blockSize: 32, typeSize: 2 + 2 + 4 + 16 },
  8: { name: "Q8_0", blockSize: 32, typeSize: 2 + 32 },
  9: { name: "Q8_1", blockSize: 32, typeSize: 2 + 2 + 32 },
  10: { name: "Q2_K", blockSize: QK_K, typeSize: 2 + 2 + QK_K / 16 + QK_K / 4 },
  11: { name: "Q3_K", blockSize: QK_K, typeSize: 2 + QK_K / 4 + QK_K / 8 + 12 },
  12: { name: "Q4_K", blockSize: QK_K, typeSize: 2 + 2 + QK_K / 2 + 12 },
  13: { name: "Q5_K", blockSize: QK_K, typeSize: 2 + 2 + QK_K / 2 + QK_K / 8 + 12 },
  14: { name: "Q6_K", blockSize: QK_K, typeSize: 2 + QK_K / 2 + QK_K / 4 + QK_K / 16 },
  15: { name: "Q8_K", blockSize: QK_K, typeSize: 4 + QK_K + QK_K / 8 },
  16: { name: "IQ2_XXS", blockSize: QK_K, typeSize: 2 + QK_K / 4 },
  17: { name: "IQ2_XS", blockSize: QK_K, typeSize: 2 + QK_K / 4 + QK_K / 32 },
  18: { name: "IQ3_XXS", blockSize: QK_K, typeSize: 2 + QK_K / 4 + QK_K / 8 },
  19: { name: "IQ1_S", blockSize: QK_K, typeSize: 2 + QK_K / 8 + QK_K / 16 },
  20: { name: "IQ4_NL", blockSize: 32, typeSize: 2 + 16 },
  21: { name: "IQ3_S", blockSize: QK_K, typeSize: 2 + QK_K / 4 + QK_K / 8 + QK_K / 32 + 4 },
  22: { name: "IQ2_S", blockSize: QK_K, typeSize: 2 + QK_K / 4 + QK_K / 16 },
  23: { name: "IQ4_XS", blockSize: QK_K, typeSize: 2 + 2 + QK_K / 2 + QK_K / 64 },
  24: { name: "I8", blockSize: 1, typeSize: 1 },
  25: { name: "I16", blockSize: 1, typeSize: 2 },
  26: { name: "I32", blockSize: 1, typeSize: 4 },
  27: { name: "I64", blockSize: 1, typeSize: 8 },
  28: { name: "F64", blockSize: 1, typeSize: 8 },
  29: { name: "IQ1_M", blockSize: QK_K, typeSize: QK_K / 8 + QK_K / 16 + QK_K / 32 },
  30: { name: "BF16", blockSize: 1, typeSize: 2 },
  34: { name: "TQ1_0", blockSize: QK_K, typeSize: 2 + 4 * 13 },
  35: { name: "TQ2_0", blockSize: QK_K, typeSize: 2 + 64 },
  39: { name: "MXFP4", blockSize: 32, typeSize: 1 + 16 },
};

const FILE_TYPES: Record<number, string> = {
  0: "F32",
  1: "F16",
  2: "Q4_0",
  3: "Q4_1",
  7: "Q8_0",
  8: "Q5_0",
  9: "Q5_1",
  10: "Q2_K",
  11: "Q3_K_S",
  12: "Q3_K_M",
  13: "Q3_K_L",
  14: "Q4_K_S",
  15: "Q4_K_M",
  16: "Q5_K_S",
  17: "Q5_K_M",
  18: "Q6_K",
  19: "IQ2_XXS",
  20: "IQ2_XS",
  21: "Q2_K_S",
  22: "IQ3_XS",
  23: "IQ3_XXS",
  24: "IQ1_S",
  25: "IQ4_NL",
  26: "IQ3_S",
  27: "IQ3_M",
  28: "IQ2_S",
  29: "IQ2_M",
  30: "IQ4_XS",
  31: "IQ1_M",
  32: "BF16",
  36: "TQ1_0",
  37: "TQ2_0",
  38: "MXFP4_MOE",
};

/** The ggml tensor type with this number, or undefined when this reader does not know it. */
export function ggmlType(id: number): GgmlType | undefined {
  return TYPES[id];
}

/** The name of a ggml tensor type, `type_<n>` when unknown. */
export function ggmlTypeName(id: number): string {
  return TYPES[id]?.name ?? `type_${id}`;
}

/** The name of a llama.cpp file type (`general.file_type`), such as `Q4_K_M`; `file_type_<n>` when unknown. */
export function fileTypeName(id: number): string {
  return FILE_TYPES[id] ?? `file_type_${id}`;
}

/**
 * How many bytes a tensor of `elements` elements of type `id` takes, or undefined when the type is
 * unknown or the element count is not a whole number of blocks.
 */
export function tensorBytes(id: number, elements: number): number | undefined {
  const type = TYPES[id];
  if (!type || elements % type.blockSize !== 0) return undefined;
  return (elements / type.blockSize) * type.typeSize;
}
