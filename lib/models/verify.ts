/**
 * Verifying a model file against its catalog entry: size, GGUF header facts (magic, version,
 * architecture, name, tensor and parameter counts, quantisation, chat template) and sha256. A file
 * that does not match is a value naming every difference, never a silent pass.
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { CatalogModel, ExpectedGguf } from "./catalog.ts";
import { readGgufHeader } from "./gguf_header.ts";
import { type ModelFacts, modelFacts } from "./model_facts.ts";

/** The outcome of {@linkcode verifyModelFile}. */
export type Verification =
  /** Everything matched. `sha256` is undefined when hashing was skipped (`hash: false`). */
  | { kind: "verified"; facts: ModelFacts; sha256?: string }
  /** Something did not match; each problem is one short sentence. */
  | { kind: "mismatch"; problems: string[]; facts?: ModelFacts }
  /** There is no file at the path. */
  | { kind: "missing" };

/** Options of {@linkcode verifyModelFile}. */
export interface VerifyOptions {
  /** Hash the whole file and compare its sha256. @default {true} */
  hash?: boolean;
  signal?: AbortSignal;
  /** Receives the bytes hashed so far. */
  onBytes?: (bytes: number) => void;
}

/** What a file must be: its size and sha256, and the facts in its GGUF header. */
export type ModelExpectation = Pick<CatalogModel, "file" | "gguf">;

/**
 * Checks the file at `path` against `expected`. Cheap checks come first; the sha256 is computed only
 * when they pass. Answers `missing` when there is no file; throws only for other file-system errors
 * and for an abort.
 */
export async function verifyModelFile(
  path: string,
  expected: ModelExpectation,
  options: VerifyOptions = {},
): Promise<Verification> {
  let stat: Deno.FileInfo;
  try {
    stat = await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { kind: "missing" };
    throw error;
  }
  if (!stat.isFile) return { kind: "mismatch", problems: [`${path} is not a regular file`] };
  const read = await readGgufHeader(path);
  if (read.kind === "invalid") {
    const sizeProblem = sizeMismatch(stat.size, expected.file.size);
    return { kind: "mismatch", problems: [`not a valid GGUF file: ${read.reason}`, ...sizeProblem] };
  }
  const facts = modelFacts(read.header);
  const problems = [...sizeMismatch(stat.size, expected.file.size), ...compareFacts(facts, expected.gguf)];
  if (facts.minimumFileSize !== undefined && facts.minimumFileSize > stat.size) {
    problems.push(`the tensor data needs ${facts.minimumFileSize} bytes but the file has ${stat.size}`);
  }
  if (problems.length > 0) return { kind: "mismatch", problems, facts };
  if (options.hash === false) return { kind: "verified", facts };
  const sha256 = await sha256File(path, options);
  if (sha256 !== expected.file.sha256) {
    return { kind: "mismatch", problems: [`sha256 is ${sha256}, expected ${expected.file.sha256}`], facts };
  }
  return { kind: "verified", facts, sha256 };
}

/** The differences between a header's facts and the expected ones, one sentence each. Pure. */
export function compareFacts(facts: ModelFacts, expected: ExpectedGguf): string[] {
  const problems: string[] = [];
  const check = (what: string, actual: unknown, wanted: unknown) => {
    if (actual !== wanted) problems.push(`${what} is ${show(actual)}, expected ${show(wanted)}`);
  };
  check("the GGUF version", facts.ggufVersion, expected.version);
  check("general.architecture", facts.architecture, expected.architecture);
  check("general.name", facts.name, expected.name);
  check("the tensor count", facts.tensorCount, expected.tensorCount);
  check("the parameter count", facts.parameterCount, expected.parameterCount);
  check("general.file_type", facts.fileType, expected.fileType);
  check(`${facts.architecture ?? "<arch>"}.context_length`, facts.contextLength, expected.contextLength);
  const [types, wantedTypes] = [typesKey(facts.tensorTypes), typesKey(expected.tensorTypes)];
  if (types !== wantedTypes) problems.push(`the tensor types are ${types}, expected ${wantedTypes}`);
  if (facts.chatTemplateSha256 === undefined) {
    problems.push("there is no chat template (tokenizer.chat_template)");
  } else check("the chat template's sha256", facts.chatTemplateSha256, expected.chatTemplateSha256);
  return problems;
}

/** The sha256 of a file in lowercase hex, read in 4 MiB chunks. */
export async function sha256File(
  path: string,
  options: Pick<VerifyOptions, "signal" | "onBytes"> = {},
): Promise<string> {
  const hash = createHash("sha256");
  using file = await Deno.open(path, { read: true });
  const buffer = new Uint8Array(4 << 20);
  let total = 0;
  while (true) {
    options.signal?.throwIfAborted();
    const n = await file.read(buffer);
    if (n === null) break;
    hash.update(buffer.subarray(0, n));
    total += n;
    options.onBytes?.(total);
  }
  return hash.digest("hex");
}

function sizeMismatch(actual: number, expected: number): string[] {
  return actual === expected ? [] : [`the size is ${actual} bytes, expected ${expected}`];
}

function typesKey(types: Record<string, number>): string {
  return Object.entries(types).sort(([a], [b]) => a.localeCompare(b)).map(([t, n]) => `${t}×${n}`).join(" ");
}

function show(value: unknown): string {
  if (value === undefined) return "missing";
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
