/**
 * A model's tokenizer as its GGUF header describes it, reduced to what two models must share for one to
 * draft tokens for the other: the tokenizer kind and pre-tokenizer, the vocabulary and merges (by
 * sha256), and the special token ids. A draft model with another tokenizer proposes token ids that mean
 * something else to the main model.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { type GgufValue, readGgufHeader } from "./gguf_header.ts";

/** The tokenizer facts compared by {@linkcode compareTokenizers}. */
export interface TokenizerFacts {
  /** `tokenizer.ggml.model`, such as `gpt2`. */
  model?: string;
  /** `tokenizer.ggml.pre`, such as `qwen2`. */
  pre?: string;
  /** How many tokens the vocabulary has. */
  tokenCount: number;
  /** sha256 of the token texts, in order, each followed by a NUL byte. */
  tokensSha256: string;
  /** sha256 of the merges, in order, each followed by a NUL byte; undefined when there are none. */
  mergesSha256?: string;
  /** `tokenizer.ggml.bos_token_id`. */
  bosId?: number;
  /** `tokenizer.ggml.eos_token_id`. */
  eosId?: number;
}

/** The outcome of reading a file's tokenizer. */
export type TokenizerRead =
  | { kind: "tokenizer"; facts: TokenizerFacts }
  /** Not a GGUF file, or one without a vocabulary; `reason` says which. */
  | { kind: "invalid"; reason: string };

const TOKENS = "tokenizer.ggml.tokens";
const MERGES = "tokenizer.ggml.merges";

/** Reads the tokenizer facts of the GGUF file at `path` (its metadata only). File-system errors throw. */
export async function readTokenizer(path: string): Promise<TokenizerRead> {
  const read = await readGgufHeader(path, { wholeArrays: [TOKENS, MERGES] });
  if (read.kind === "invalid") return { kind: "invalid", reason: `not a valid GGUF file: ${read.reason}` };
  const meta = read.header.metadata;
  const tokens = meta.get(TOKENS);
  if (!isArray(tokens)) return { kind: "invalid", reason: `it has no vocabulary (${TOKENS})` };
  const merges = meta.get(MERGES);
  return {
    kind: "tokenizer",
    facts: {
      model: text(meta.get("tokenizer.ggml.model")),
      pre: text(meta.get("tokenizer.ggml.pre")),
      tokenCount: tokens.length,
      tokensSha256: digest(tokens.items),
      mergesSha256: isArray(merges) ? digest(merges.items) : undefined,
      bosId: count(meta.get("tokenizer.ggml.bos_token_id")),
      eosId: count(meta.get("tokenizer.ggml.eos_token_id")),
    },
  };
}

/** How `draft`'s tokenizer differs from `main`'s, one short phrase each; empty when they match. Pure. */
export function compareTokenizers(main: TokenizerFacts, draft: TokenizerFacts): string[] {
  const problems: string[] = [];
  const check = (what: string, a: unknown, b: unknown) => {
    if (a !== b) problems.push(`${what} ${show(b)}, not ${show(a)}`);
  };
  check("tokenizer.ggml.model is", main.model, draft.model);
  check("tokenizer.ggml.pre is", main.pre, draft.pre);
  if (main.tokenCount !== draft.tokenCount) {
    problems.push(`the vocabulary has ${draft.tokenCount} tokens, not ${main.tokenCount}`);
  } else if (main.tokensSha256 !== draft.tokensSha256) problems.push("the vocabulary's tokens differ");
  if (main.mergesSha256 !== draft.mergesSha256) problems.push("the merges differ");
  check("the begin token id is", main.bosId, draft.bosId);
  check("the end token id is", main.eosId, draft.eosId);
  return problems;
}

function digest(items: readonly GgufValue[]): string {
  const hash = createHash("sha256");
  for (const item of items) hash.update(`${String(item)}\0`);
  return hash.digest("hex");
}

function isArray(value: GgufValue | undefined): value is Extract<GgufValue, { kind: "array" }> {
  return typeof value === "object" && value !== null && !(typeof value === "bigint");
}

function text(value: GgufValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function count(value: GgufValue | undefined): number | undefined {
  return typeof value === "number" ? value : undefined;
}

function show(value: unknown): string {
  return value === undefined ? "missing" : typeof value === "string" ? JSON.stringify(value) : String(value);
}
