/**
 * Speculative decoding of llama-server as plain data: off, n-gram prompt lookup, or a small draft model
 * of the same family. The n-gram parameters live here, in one place, so the benchmark can tune them;
 * {@linkcode AUTO_SPECULATIVE} records what `server.speculative: auto` picks for each engine.
 *
 * Under greedy decoding speculation changes speed, not text: the big model verifies every drafted token
 * and keeps only those it would have written itself.
 *
 * @module
 */
import { z } from "zod";
import { ConfigError } from "../errors.ts";
import type { EngineName, SpeculativeChoice, SpeculativeMode } from "../types.ts";

/** llama-server's n-gram (prompt lookup) speculation types. */
export const NGRAM_TYPES = ["ngram-mod", "ngram-simple", "ngram-map-k", "ngram-map-k4v"] as const;

/** One of {@linkcode NGRAM_TYPES}. */
export type NgramType = typeof NGRAM_TYPES[number];

/** Prompt-lookup speculation: tokens drafted from n-grams already seen in the prompt and the reply. */
export interface NgramSettings {
  /** llama-server's `--spec-type`. */
  type: NgramType;
  /** `ngram-mod`: the lookup length (`--spec-ngram-mod-n-match`). */
  nMatch?: number;
  /** `ngram-mod`: draft only when at least this many tokens are found (`--spec-ngram-mod-n-min`). */
  nMin?: number;
  /** `ngram-mod`: draft at most this many tokens (`--spec-ngram-mod-n-max`). */
  nMax?: number;
  /** The other types: the lookup n-gram's length (`--spec-ngram-<type>-size-n`). */
  sizeN?: number;
  /** The other types: the drafted m-gram's length (`--spec-ngram-<type>-size-m`). */
  sizeM?: number;
  /** The other types: hits needed before an m-gram is proposed (`--spec-ngram-<type>-min-hits`). */
  minHits?: number;
}

/** Draft-model speculation: a small model of the same family drafts, the big one verifies. */
export interface DraftSettings {
  /** The draft model's GGUF path (its tokenizer must equal the main model's). */
  model: string;
  /** Tokens drafted per step at most (`--spec-draft-n-max`). */
  nMax?: number;
  /** Tokens drafted per step at least (`--spec-draft-n-min`). */
  nMin?: number;
}

/** The speculation a server runs with. */
export type Speculation =
  | { kind: "off" }
  | { kind: "ngram"; ngram: NgramSettings }
  | { kind: "draft"; draft: DraftSettings };

/** No speculation. */
export const NO_SPECULATION: Speculation = Object.freeze({ kind: "off" });

/**
 * The n-gram settings `ngram` means: `ngram-mod` with llama.cpp's own defaults written out, so an update
 * of llama.cpp cannot change them unnoticed. A probe on a 2-core CPU (rewriting a 60-line program with
 * one change) measured 1.6× the decode speed without speculation; shorter matches were slower.
 */
export const NGRAM_DEFAULT: Readonly<NgramSettings> = Object.freeze({
  type: "ngram-mod",
  nMatch: 24,
  nMin: 48,
  nMax: 64,
});

/** The draft parameters `draft` means: llama.cpp's defaults, written out. */
export const DRAFT_DEFAULT: Readonly<Omit<DraftSettings, "model">> = Object.freeze({ nMax: 3, nMin: 0 });

/**
 * What `auto` picks per engine. llama.cpp: prompt lookup, which drafts retries (mostly the previous
 * program again) for free; a draft model was slower on 2 CPU cores (the draft costs more than it saves)
 * and stays available as `draft` for machines where it wins. The other engines offer no speculation we
 * drive, so `auto` is `off` there. Change this table only with a benchmark (`bench --speculative`).
 */
export const AUTO_SPECULATIVE: Readonly<Record<EngineName, SpeculativeMode>> = Object.freeze({
  "llama.cpp": "ngram",
  mlx: "off",
  ollama: "off",
  openai: "off",
});

/**
 * The mode a choice means on an engine: `auto` from {@linkcode AUTO_SPECULATIVE}; `ngram` and `draft`
 * need llama.cpp (a `ConfigError` naming the engine otherwise). Pure.
 */
export function speculativeModeFor(choice: SpeculativeChoice, engine: EngineName): SpeculativeMode {
  if (choice === "auto") return AUTO_SPECULATIVE[engine];
  if (choice !== "off" && engine !== "llama.cpp") {
    throw new ConfigError(
      `server.speculative: ${choice} needs the llama.cpp engine, not ${engine} (use auto or off)`,
    );
  }
  return choice;
}

/** llama-server's flags for a speculation. */
export function speculationArgs(speculation: Speculation): string[] {
  switch (speculation.kind) {
    case "off":
      return [];
    case "ngram":
      return ngramArgs(speculation.ngram);
    case "draft": {
      const d = speculation.draft;
      return [
        "--spec-type",
        "draft-simple",
        "--model-draft",
        d.model,
        ...flag("--spec-draft-n-max", d.nMax),
        ...flag("--spec-draft-n-min", d.nMin),
      ];
    }
    default: {
      const never: never = speculation;
      return never;
    }
  }
}

function ngramArgs(n: NgramSettings): string[] {
  if (n.type === "ngram-mod") {
    return [
      "--spec-type",
      n.type,
      ...flag("--spec-ngram-mod-n-match", n.nMatch),
      ...flag("--spec-ngram-mod-n-min", n.nMin),
      ...flag("--spec-ngram-mod-n-max", n.nMax),
    ];
  }
  const prefix = `--spec-${n.type}`;
  return [
    "--spec-type",
    n.type,
    ...flag(`${prefix}-size-n`, n.sizeN),
    ...flag(`${prefix}-size-m`, n.sizeM),
    ...flag(`${prefix}-min-hits`, n.minHits),
  ];
}

function flag(name: string, value: number | undefined): string[] {
  return value === undefined ? [] : [name, String(value)];
}

/** One line for people: `off`, `ngram (ngram-mod, n-match 24, n-min 48, n-max 64)`, `draft (file.gguf, n-max 3)`. */
export function describeSpeculation(speculation: Speculation): string {
  switch (speculation.kind) {
    case "off":
      return "off";
    case "ngram": {
      const { type, ...params } = speculation.ngram;
      return `ngram (${[type, ...paramWords(params)].join(", ")})`;
    }
    case "draft": {
      const { model, ...params } = speculation.draft;
      return `draft (${[model.split("/").at(-1) ?? model, ...paramWords(params)].join(", ")})`;
    }
    default: {
      const never: never = speculation;
      return never;
    }
  }
}

function paramWords(params: Record<string, number | undefined>): string[] {
  return Object.entries(params).flatMap(([key, value]) =>
    value === undefined ? [] : [`${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${value}`]
  );
}

/** Whether two speculations run a server the same way. */
export function sameSpeculation(a: Speculation, b: Speculation): boolean {
  return describeSpeculation(a) === describeSpeculation(b) &&
    (a.kind !== "draft" || b.kind !== "draft" || a.draft.model === b.draft.model);
}

const Count = z.number().int().min(0).max(4096);

/** The zod schema of a {@linkcode Speculation} (server state files record it). */
export const SpeculationSchema: z.ZodType<Speculation> = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("off") }),
  z.object({
    kind: z.literal("ngram"),
    ngram: z.object({
      type: z.enum(NGRAM_TYPES),
      nMatch: Count.optional(),
      nMin: Count.optional(),
      nMax: Count.optional(),
      sizeN: Count.optional(),
      sizeM: Count.optional(),
      minHits: Count.optional(),
    }),
  }),
  z.object({
    kind: z.literal("draft"),
    draft: z.object({ model: z.string().min(1), nMax: Count.optional(), nMin: Count.optional() }),
  }),
]);
