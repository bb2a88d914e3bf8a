/**
 * The interface every model-server engine implements: how to launch it, how to tell it is ready,
 * and how to recognise it over HTTP.
 *
 * @module
 */

import type { EngineName } from "../../types.ts";
import type { Speculation } from "../speculation.ts";

/** Where a server answers: its origin (`http://127.0.0.1:8080`) and OpenAI base URL (`…/v1`). */
export interface Endpoint {
  origin: string;
  api: string;
}

/** What an engine needs to build its command line. */
export interface LaunchSpec {
  /** The program to run (llama-server, python3, ollama). */
  program: string;
  /** A GGUF path or Hugging Face repo (llama.cpp), an MLX repo or path (mlx), a model tag (ollama). */
  model: string;
  host: string;
  port: number;
  /** Total context in tokens, divided among the slots. */
  contextSize: number;
  /** Parallel slots (one per persona). */
  parallel: number;
  /** Speculative decoding (llama.cpp only; other engines are never asked for it). @default off */
  speculation?: Speculation;
}

/** A command line plus the environment it needs. */
export interface LaunchCommand {
  argv: string[];
  env?: Record<string, string>;
}

/** One readiness probe's answer. */
export type Readiness =
  | { kind: "ready" }
  /** The server answers but is not ready yet (loading the model). */
  | { kind: "loading"; detail: string }
  /** Nothing answers, or the answer is an error. */
  | { kind: "down"; detail: string }
  /** The server answers that it will never be ready (mlx_lm.server whose model failed to load). */
  | { kind: "failed"; detail: string };

/** Who answers at an endpoint. */
export interface Identity {
  engine: EngineName;
  /** The model it serves, as the server names it (llama.cpp: the GGUF path). */
  model?: string;
  /** Every model it lists, for engines that serve several (mlx, ollama, openai). */
  models?: string[];
  /** Further detail (a version, the `Server` header). */
  detail?: string;
}

/** One llama-server slot: a persona's private context and prompt cache. */
export interface SlotInfo {
  /** The slot's id, as llama-server numbers them (from 0). */
  id: number;
  /** Context size of this slot, in tokens. */
  contextSize: number;
  /** Whether the slot is processing a request now. */
  busy: boolean;
  /** Whether the slot decodes speculatively (llama-server's `speculative`), when it says. */
  speculative?: boolean;
}

/** Side effects a probe may use. */
export interface ProbeOptions {
  fetch: typeof fetch;
  signal?: AbortSignal;
  /** Per-request timeout. @default {5_000} */
  timeoutMs?: number;
}

/** Options of the step that runs once the server first answers ready. */
export interface PrepareOptions extends ProbeOptions {
  model: string;
  /** Progress of long preparations (ollama's pull), one line each. */
  onProgress?: (message: string, percent?: number) => void;
}

/** One engine. */
export interface EngineDriver {
  readonly name: EngineName;
  /** The program name used in messages (`llama-server`, `mlx_lm.server`, `ollama`); llama.cpp and ollama look for it on PATH. */
  readonly program: string;
  /** The command line; undefined when the engine has no process of ours (openai). */
  launch(spec: LaunchSpec): LaunchCommand | undefined;
  /** The endpoint for a host and port. */
  endpoint(host: string, port: number): Endpoint;
  /** One readiness probe. */
  probe(endpoint: Endpoint, options: ProbeOptions): Promise<Readiness>;
  /** Runs once after the first "ready": mlx's warm-up request, ollama's pull. */
  prepare?(endpoint: Endpoint, options: PrepareOptions): Promise<void>;
  /** Recognises the engine at an endpoint; undefined when something else (or nothing) answers. */
  identify(endpoint: Endpoint, options: ProbeOptions): Promise<Identity | undefined>;
  /** The server's slots, when the engine reports them (llama.cpp's `GET /slots`). */
  slots?(endpoint: Endpoint, options: ProbeOptions): Promise<SlotInfo[] | undefined>;
  /** Whether an identity serves the model a spec asks for. */
  servesModel(identity: Identity, model: string): boolean;
  /** The model used when none is configured. */
  readonly defaultModel: string;
}

/** The address to connect to for a listen address: the wildcard addresses mean loopback. */
export function connectHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::" || host === "[::]") return "::1";
  return host;
}

/** `http://host:port` and `http://host:port/v1`, bracketing IPv6 hosts. */
export function localEndpoint(host: string, port: number): Endpoint {
  const target = connectHost(host);
  const h = target.includes(":") && !target.startsWith("[") ? `[${target}]` : target;
  const origin = `http://${h}:${port}`;
  return { origin, api: `${origin}/v1` };
}
