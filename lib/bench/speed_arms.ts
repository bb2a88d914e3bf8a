/**
 * The speed arms of `bench --speculative LIST`: the same tasks, model and settings, with the server
 * restarted for each kind of speculative decoding. An arm is a mode, optionally with n-gram or draft
 * parameters, so the benchmark (not a person at a keyboard) tunes them:
 *
 * ```
 * off                      no speculation (the baseline the ratios compare with)
 * ngram                    prompt lookup with NGRAM_DEFAULT (ngram-mod)
 * ngram-mod:n-match=16     ngram-mod with a shorter lookup (n-match, n-min, n-max)
 * ngram-simple:size-n=8    another n-gram type (size-n, size-m, min-hits)
 * draft                    the catalog's draft model (n-max, n-min: draft:n-max=8)
 * ```
 *
 * @module
 */
import type { SpeculativeMode } from "../types.ts";
import { ConfigError } from "../errors.ts";
import { DRAFT_DEFAULT, NGRAM_DEFAULT, NGRAM_TYPES, type NgramSettings } from "../server/speculation.ts";
import type { SpeculationTuning } from "../setup/speculation.ts";

/** One speed arm. */
export interface SpeedArm {
  /** The arm as written (`ngram-mod:n-match=16`); records and reports name it so. */
  label: string;
  /** The `server.speculative` mode the server is started with. */
  mode: SpeculativeMode;
  /** Parameters other than the mode's defaults. */
  tuning?: SpeculationTuning;
}

const KEYS = {
  mod: { "n-match": "nMatch", "n-min": "nMin", "n-max": "nMax" },
  map: { "size-n": "sizeN", "size-m": "sizeM", "min-hits": "minHits" },
  draft: { "n-max": "nMax", "n-min": "nMin" },
} as const;

/** Reads `--speculative LIST`. Throws a `ConfigError` naming the first bad arm or parameter. */
export function parseSpeedArms(text: string): SpeedArm[] {
  const items = text.split(",").map((item) => item.trim()).filter((item) => item !== "");
  if (items.length === 0) throw new ConfigError("--speculative: expected a list such as off,ngram,draft");
  const arms = items.map(parseArm);
  const labels = arms.map((a) => a.label);
  const twice = labels.find((label, i) => labels.indexOf(label) !== i);
  if (twice) throw new ConfigError(`--speculative: ${twice} is listed twice`);
  return arms;
}

function parseArm(item: string): SpeedArm {
  const [name, ...pairs] = item.split(":");
  const params = pairs.map((pair) => parsePair(item, pair));
  if (name === "off") {
    if (params.length) throw new ConfigError(`--speculative: ${item}: off takes no parameters`);
    return { label: item, mode: "off" };
  }
  if (name === "draft") {
    return {
      label: item,
      mode: "draft",
      tuning: { draft: { ...DRAFT_DEFAULT, ...named(item, KEYS.draft, params) } },
    };
  }
  const type = name === "ngram" ? "ngram-mod" : NGRAM_TYPES.find((t) => t === name);
  if (!type) {
    throw new ConfigError(
      `--speculative: unknown arm: ${name} (expected off, ngram, draft or one of ${NGRAM_TYPES.join(", ")})`,
    );
  }
  const base: NgramSettings = type === "ngram-mod" ? { ...NGRAM_DEFAULT } : { type };
  const keys = type === "ngram-mod" ? KEYS.mod : KEYS.map;
  return { label: item, mode: "ngram", tuning: { ngram: { ...base, ...named(item, keys, params) } } };
}

function parsePair(item: string, pair: string): [string, number] {
  const match = /^([a-z-]+)=(\d{1,4})$/.exec(pair);
  if (!match) {
    throw new ConfigError(`--speculative: ${item}: expected key=number, got ${JSON.stringify(pair)}`);
  }
  return [match[1], Number(match[2])];
}

/** Maps `key=value` pairs through a table of the keys an arm takes. */
function named(
  item: string,
  keys: Record<string, string>,
  params: [string, number][],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of params) {
    const field = keys[key];
    if (!field) {
      throw new ConfigError(
        `--speculative: ${item}: unknown parameter ${key} (expected ${Object.keys(keys).join(", ")})`,
      );
    }
    out[field] = value;
  }
  return out;
}
