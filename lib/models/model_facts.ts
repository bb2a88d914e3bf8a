/**
 * What a GGUF header says about the model in it, in the terms the catalog records: architecture,
 * name, parameter and tensor counts, quantisation, chat template, and where the tensor data ends.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { fileTypeName, ggmlTypeName, tensorBytes } from "./ggml_types.ts";
import type { GgufHeader, GgufValue } from "./gguf_header.ts";

/** The facts about a model that verification compares with the catalog. */
export interface ModelFacts {
  ggufVersion: number;
  /** `general.architecture`, such as `qwen2`. */
  architecture?: string;
  /** `general.name`. */
  name?: string;
  tensorCount: number;
  /** The sum of all tensors' element counts. */
  parameterCount: number;
  /** `general.file_type`, such as 15. */
  fileType?: number;
  /** The llama.cpp name of `general.file_type`, such as `Q4_K_M`. */
  quantization?: string;
  /** How many tensors have each ggml type, such as `{ Q4_K: 169, Q6_K: 29, F32: 141 }`. */
  tensorTypes: Record<string, number>;
  /** `<arch>.context_length`, the context the model was trained for. */
  contextLength?: number;
  /** sha256 of `tokenizer.chat_template`; undefined when the file has no chat template. */
  chatTemplateSha256?: string;
  /**
   * The smallest file size that holds every tensor's data; undefined when a tensor's type is unknown
   * to this reader.
   */
  minimumFileSize?: number;
}

/** Extracts the catalog's facts from a header. Pure. */
export function modelFacts(header: GgufHeader): ModelFacts {
  const meta = header.metadata;
  const architecture = stringOf(meta.get("general.architecture"));
  const fileType = numberOf(meta.get("general.file_type"));
  const template = stringOf(meta.get("tokenizer.chat_template"));
  const tensorTypes: Record<string, number> = {};
  let parameterCount = 0;
  let end: number | undefined = 0;
  for (const tensor of header.tensors) {
    const typeName = ggmlTypeName(tensor.type);
    tensorTypes[typeName] = (tensorTypes[typeName] ?? 0) + 1;
    parameterCount += tensor.elements;
    const bytes = tensorBytes(tensor.type, tensor.elements);
    end = bytes === undefined || end === undefined ? undefined : Math.max(end, tensor.offset + bytes);
  }
  return {
    ggufVersion: header.version,
    architecture,
    name: stringOf(meta.get("general.name")),
    tensorCount: header.tensors.length,
    parameterCount,
    fileType,
    quantization: fileType === undefined ? undefined : fileTypeName(fileType),
    tensorTypes,
    contextLength: architecture ? numberOf(meta.get(`${architecture}.context_length`)) : undefined,
    chatTemplateSha256: template ? createHash("sha256").update(template).digest("hex") : undefined,
    minimumFileSize: end === undefined ? undefined : header.dataOffset + end,
  };
}

function stringOf(value: GgufValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function numberOf(value: GgufValue | undefined): number | undefined {
  return typeof value === "number" ? value : undefined;
}
