/**
 * Deciding a server's speculative decoding, once: `server.speculative` and the engine give the mode
 * (`auto` from the benchmark's table), the mode gives llama-server's settings, and `draft` gets the
 * catalog's small model of the same family, fetched and verified like the main model and refused when
 * its tokenizer differs from the main model's. Also which slot each persona is pinned to.
 *
 * @module
 */
import { realpath } from "node:fs/promises";
import type { EngineName, SpeculativeChoice } from "../types.ts";
import { ConfigError } from "../errors.ts";
import type { SlotMap } from "../llm/client.ts";
import { defaultCatalog, draftModelOf } from "../models/catalog.ts";
import { fetchModel } from "../models/fetch_model.ts";
import { modelPaths } from "../models/model_paths.ts";
import { compareTokenizers, readTokenizer, type TokenizerFacts } from "../models/tokenizer_facts.ts";
import { isLocalModel } from "../server/engines/llama_cpp.ts";
import {
  DRAFT_DEFAULT,
  type DraftSettings,
  NGRAM_DEFAULT,
  type NgramSettings,
  NO_SPECULATION,
  type Speculation,
  speculativeModeFor,
} from "../server/speculation.ts";
import { fetchPrinter } from "./progress.ts";

/** Settings a mode's defaults give way to (the benchmark's speed arms tune them). */
export interface SpeculationTuning {
  /** What `ngram` runs. @default {NGRAM_DEFAULT} */
  ngram?: NgramSettings;
  /** How `draft` drafts. @default {DRAFT_DEFAULT} */
  draft?: Omit<DraftSettings, "model">;
}

/** Options of {@linkcode decideSpeculation}. */
export interface SpeculationOptions {
  /** The engine the server runs (resolved, not `auto`). */
  engine: EngineName;
  /** The main model: a GGUF path for llama.cpp; undefined means the engine's default. */
  model: string | undefined;
  /** Parameters other than each mode's defaults. */
  tuning?: SpeculationTuning;
  /** Progress lines (fetching the draft model). */
  say?: (line: string) => void;
  signal?: AbortSignal;
  /** The draft model's path for a main model. @default {the catalog's draft model, fetched and verified} */
  draftModel?: (main: string) => Promise<string>;
}

/**
 * The speculation of a server for `choice`. Throws a `ConfigError` when `ngram` or `draft` is asked of an
 * engine other than llama.cpp, when `draft` has no local main model or no draft model in the catalog, and
 * when the draft model's tokenizer differs from the main model's.
 */
export async function decideSpeculation(
  choice: SpeculativeChoice,
  options: SpeculationOptions,
): Promise<Speculation> {
  const mode = speculativeModeFor(choice, options.engine);
  switch (mode) {
    case "off":
      return NO_SPECULATION;
    case "ngram":
      return { kind: "ngram", ngram: { ...(options.tuning?.ngram ?? NGRAM_DEFAULT) } };
    case "draft": {
      const main = options.model;
      if (main === undefined || !isLocalModel(main)) {
        throw new ConfigError(
          `server.speculative: draft needs a local GGUF model to check tokenizers against, not ${
            main ?? "the engine's default"
          }`,
        );
      }
      const draft = await (options.draftModel ?? ((m) => catalogDraft(m, options)))(main);
      await checkTokenizers(main, draft);
      return { kind: "draft", draft: { model: draft, ...(options.tuning?.draft ?? DRAFT_DEFAULT) } };
    }
    default: {
      const never: never = mode;
      return never;
    }
  }
}

/** Slot per persona on a llama.cpp server: the Coder in slot 0, the Sheriff in slot 1. */
export const PERSONA_SLOTS: SlotMap = Object.freeze({ coder: 0, sheriff: 1 });

/**
 * The persona-to-slot map for an engine: `pair` 0 is {@linkcode PERSONA_SLOTS}, pair `k` slots `2k` and
 * `2k + 1` (one pair per concurrent run). Undefined for engines without slots (never send `id_slot` there).
 */
export function slotsFor(engine: EngineName | undefined, pair = 0): SlotMap | undefined {
  return engine === "llama.cpp" ? { coder: 2 * pair, sheriff: 2 * pair + 1 } : undefined;
}

/** The catalog's draft model for `main` (the main model's own entry when it is cached from the catalog). */
async function catalogDraft(main: string, options: SpeculationOptions): Promise<string> {
  const catalog = defaultCatalog();
  const path = await realpath(main).catch(() => main);
  const entry = catalog.models.find((m) => modelPaths(m.name).file === path) ??
    catalog.models.find((m) => m.name === catalog.default)!;
  const draft = draftModelOf(catalog, entry.name);
  if (!draft) {
    throw new ConfigError(`server.speculative: draft: the catalog has no draft model for ${entry.name}`);
  }
  const say = options.say ?? (() => {});
  say(`draft model ${draft.name}\n`);
  const fetched = await fetchModel(draft.name, { signal: options.signal, onProgress: fetchPrinter(say) });
  return fetched.path;
}

/** Refuses a draft model whose tokenizer differs from the main model's. */
async function checkTokenizers(main: string, draft: string): Promise<void> {
  const [a, b] = [await tokenizerOf(main), await tokenizerOf(draft)];
  const problems = compareTokenizers(a, b);
  if (problems.length > 0) {
    throw new ConfigError(
      `Cannot use ${fileName(draft)} as the draft model of ${fileName(main)}: its tokenizer differs: ${
        problems.join("; ")
      }`,
    );
  }
}

async function tokenizerOf(path: string): Promise<TokenizerFacts> {
  let read;
  try {
    read = await readTokenizer(path);
  } catch (error) {
    throw new ConfigError(`Cannot read the tokenizer of ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (read.kind === "invalid") throw new ConfigError(`Cannot read the tokenizer of ${path}: ${read.reason}`);
  return read.facts;
}

function fileName(path: string): string {
  return path.split("/").at(-1) ?? path;
}
