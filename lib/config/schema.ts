/**
 * The `factory.yaml` schema, the typed `Config` it maps to, and the defaults (kept here only).
 *
 * The file uses snake_case (`agent.max_attempts`); the typed config uses camelCase
 * (`agent.maxAttempts`), with units in the names where they are not obvious (`executionTimeoutSec`).
 *
 * @module
 */

import { z } from "zod";
import { ConfigError } from "../errors.ts";
import { expecting, formatIssues, type KeyNamer } from "./format_issue.ts";
import { integer, numberBetween, oneOf, positiveNumber, section, text } from "./fields.ts";
import {
  DEFAULT_SANDBOX_MODE,
  ENGINE_CHOICES,
  type EngineChoice,
  SANDBOX_MODES,
  type SandboxMode,
  SPECULATIVE_CHOICES,
  type SpeculativeChoice,
} from "../types.ts";

/** Where the model server is and which one to use. */
export interface ServerConfig {
  /** Which server to use or start. */
  engine: EngineChoice;
  /** A model name or path; the engine's default when absent. */
  model?: string;
  /** The host a started server listens on. */
  host: string;
  /** The port a started server listens on. */
  port: number;
  /** An already running OpenAI-compatible server; when set, no server is started. */
  baseUrl?: string;
  /**
   * Speculative decoding of a llama.cpp server factory starts (`server.speculative`): `auto` (what the
   * benchmark measured fastest for the engine), `off`, `ngram` (prompt lookup) or `draft` (the catalog's
   * small model of the same family).
   */
  speculative: SpeculativeChoice;
}

/** The hard limits of the Coder/Sheriff loop. */
export interface AgentConfig {
  /** Coder → run → Sheriff rounds at most (`agent.max_attempts`). */
  maxAttempts: number;
  /** Wall-clock limit of one program run, in seconds (`agent.execution_timeout`). */
  executionTimeoutSec: number;
  /** Wall-clock limit of one model call, in seconds (`agent.llm_timeout`). */
  llmTimeoutSec: number;
  /** `max_tokens` of every model call (`agent.max_tokens_per_turn`). */
  maxTokensPerTurn: number;
  /** Prompt + completion tokens over a whole run (`agent.total_token_budget`). */
  totalTokenBudget: number;
  /** Sampling temperature, 0 to 2 (`agent.temperature`). */
  temperature: number;
  /** Sampling temperature of the Coder's retries, 0 to 2 (`agent.retry_temperature`). */
  retryTemperature: number;
  /** The same failure this many times in a row stops the run (`agent.stagnation_threshold`). */
  stagnationThreshold: number;
}

/** The fully resolved configuration. */
export interface Config {
  /** The `server` section. */
  server: ServerConfig;
  /** The `agent` section. */
  agent: AgentConfig;
  /**
   * The top-level `sandbox` key: which OS sandbox runs generated programs (`auto`, `require`, `off`).
   * Absent means `auto` ({@linkcode DEFAULT_SANDBOX_MODE}); read it with `sandboxModeOf(config)`.
   */
  sandbox?: SandboxMode;
}

/** One configuration layer (a file, flags): any subset of the keys. Undefined values are ignored. */
export interface PartialConfig {
  /** Any of the `server` keys. */
  server?: Partial<ServerConfig>;
  /** Any of the `agent` keys. */
  agent?: Partial<AgentConfig>;
  /** The top-level `sandbox` key. */
  sandbox?: SandboxMode;
}

export { DEFAULT_SANDBOX_MODE };

/** The defaults, the lowest layer. The only place defaults are written down (`sandbox`: {@linkcode DEFAULT_SANDBOX_MODE}). */
export const DEFAULT_CONFIG: {
  readonly server: Readonly<ServerConfig>;
  readonly agent: Readonly<AgentConfig>;
} = Object.freeze({
  server: Object.freeze({ engine: "auto", host: "127.0.0.1", port: 8080, speculative: "auto" } as const),
  agent: Object.freeze({
    maxAttempts: 5,
    executionTimeoutSec: 60,
    llmTimeoutSec: 120,
    maxTokensPerTurn: 2048,
    totalTokenBudget: 100_000,
    temperature: 0,
    retryTemperature: 0.7,
    stagnationThreshold: 3,
  }),
});

/** File key → typed key, per section. */
const SERVER_KEYS = {
  engine: "engine",
  model: "model",
  host: "host",
  port: "port",
  base_url: "baseUrl",
  speculative: "speculative",
} as const satisfies Record<string, keyof ServerConfig>;

const AGENT_KEYS = {
  max_attempts: "maxAttempts",
  execution_timeout: "executionTimeoutSec",
  llm_timeout: "llmTimeoutSec",
  max_tokens_per_turn: "maxTokensPerTurn",
  total_token_budget: "totalTokenBudget",
  temperature: "temperature",
  retry_temperature: "retryTemperature",
  stagnation_threshold: "stagnationThreshold",
} as const satisfies Record<string, keyof AgentConfig>;

const httpUrl = z.url({ protocol: /^https?$/, error: expecting("an http or https URL") });

/** The schema of `factory.yaml` (snake_case keys, every key optional, unknown keys rejected). */
export const ConfigFileSchema = z.strictObject({
  server: section({
    engine: oneOf(ENGINE_CHOICES).optional(),
    model: text(1000).optional(),
    host: text(255, "a host name or address").optional(),
    port: integer(1, 65535).optional(),
    base_url: httpUrl.optional(),
    speculative: oneOf(SPECULATIVE_CHOICES).optional(),
  }),
  agent: section({
    max_attempts: integer(1).optional(),
    execution_timeout: positiveNumber("a number of seconds > 0").optional(),
    llm_timeout: positiveNumber("a number of seconds > 0").optional(),
    max_tokens_per_turn: integer(16).optional(),
    total_token_budget: integer(1).optional(),
    temperature: numberBetween(0, 2).optional(),
    retry_temperature: numberBetween(0, 2).optional(),
    stagnation_threshold: integer(2).optional(),
  }),
  sandbox: oneOf(SANDBOX_MODES).optional(),
}, { error: expecting("a mapping") });

/** Renames keys by `table`, keeping unknown keys as they are and dropping undefined values. */
function rename(value: unknown, table: Record<string, string>): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) out[Object.hasOwn(table, key) ? table[key] : key] = item;
  }
  return out;
}

function invert(table: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(table).map(([from, to]) => [to, from]));
}

/** Maps a file-shaped (snake_case) object to a camelCase one, or back with `toFile`. */
function mapSections(value: unknown, toFile: boolean): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const server = toFile ? invert(SERVER_KEYS) : SERVER_KEYS;
  const agent = toFile ? invert(AGENT_KEYS) : AGENT_KEYS;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || item === null) continue;
    if (key === "server") out.server = rename(item, server);
    else if (key === "agent") out.agent = rename(item, agent);
    else out[key] = item;
  }
  return out;
}

/**
 * Validates a file-shaped (snake_case) config object and maps it to a {@linkcode PartialConfig}.
 * Throws a `ConfigError` starting with `label`, naming the first bad key:
 * `Invalid config in factory.yaml: agent.max_attemps: unknown key`.
 */
export function parseConfigObject(data: unknown, label: string, name?: KeyNamer): PartialConfig {
  const result = ConfigFileSchema.safeParse(data, { reportInput: true });
  if (!result.success) throw new ConfigError(`${label}: ${formatIssues(result.error.issues, name)}`);
  return mapSections(result.data, false) as PartialConfig;
}

/**
 * Validates a camelCase {@linkcode PartialConfig} built in code (CLI flags, library callers) with the
 * same rules as the file; errors name the file's key (`agent.max_attempts`), or what `name` makes of
 * it (the CLI names its flags: `--max-attempts`). Returns a clean copy.
 */
export function checkPartialConfig(partial: PartialConfig, label: string, name?: KeyNamer): PartialConfig {
  return parseConfigObject(mapSections(partial, true), label, name);
}
