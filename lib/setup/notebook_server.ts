/**
 * Setting up a notebook: the settings it reads from its environment, and a model server started (or
 * reused) from a cell, with the model client to pass to `runTask`. The server handle is AsyncDisposable
 * and displays as a small card (`lib/render/server_card.ts`).
 *
 * @module
 */
import { type ChatModel, type RunProvenance, SPECULATIVE_CHOICES, type SpeculativeChoice } from "../types.ts";
import { openAIModel } from "../llm/client.ts";
import { ensureServer, type LifecycleOptions, type ServerHandle } from "../server/lifecycle.ts";
import { type EnvReader, realEnv } from "../host/cache_paths.ts";
import { defaultCatalog } from "../models/catalog.ts";
import { fetchModel } from "../models/fetch_model.ts";
import { ConfigError } from "../errors.ts";
import { type Displayable, JUPYTER_DISPLAY } from "../render/bundles.ts";
import { serverBundle } from "../render/server_card.ts";
import { describeSpeculation } from "../server/speculation.ts";
import { decideSpeculation, PERSONA_SLOTS } from "./speculation.ts";
import { provenanceOf } from "./provenance.ts";
import { resolveSandbox } from "../sandbox/sandbox_mode.ts";

/** What a notebook reads from its environment, so CI can point it at a test model and temp dirs. */
export interface NotebookSettings {
  /** `FACTORY_MODEL`: a GGUF path; undefined means the verified offline default model. */
  model?: string;
  /** `FACTORY_PORT`: the model server's port. @default {8080} */
  port: number;
  /** `FACTORY_MAX_TOKENS`: `max_tokens` of each model turn in the notebooks' runs. @default {512} */
  maxTokensPerTurn: number;
  /** `FACTORY_RUNS`: where run artifacts go. @default {"../runs"} (the repository's, from `notebooks/`) */
  outDir: string;
  /** `FACTORY_RUN_DIR`: the run a notebook opens; undefined means the latest under `outDir`. */
  runDir?: string;
  /** `FACTORY_BENCH`: a `results.jsonl`, or a directory of result directories. @default {"../bench/results"} */
  benchResults: string;
  /** `FACTORY_SPECULATIVE`: speculative decoding of the server a notebook starts. @default {"auto"} */
  speculative: SpeculativeChoice;
}

/** Reads the notebook settings. Throws ConfigError for a port or token count that is not a number. */
export function notebookSettings(env: EnvReader = realEnv): NotebookSettings {
  return {
    model: env("FACTORY_MODEL") || undefined,
    port: integer(env, "FACTORY_PORT", 8080, 65535, "a port number"),
    maxTokensPerTurn: integer(env, "FACTORY_MAX_TOKENS", 512, 1_000_000, "a positive whole number"),
    outDir: env("FACTORY_RUNS") || "../runs",
    runDir: env("FACTORY_RUN_DIR") || undefined,
    benchResults: env("FACTORY_BENCH") || "../bench/results",
    speculative: speculativeOf(env("FACTORY_SPECULATIVE") || "auto"),
  };
}

function speculativeOf(text: string): SpeculativeChoice {
  const choice = SPECULATIVE_CHOICES.find((c) => c === text);
  if (choice) return choice;
  throw new ConfigError(
    `Cannot use FACTORY_SPECULATIVE: not one of ${SPECULATIVE_CHOICES.join(", ")}: ${text}`,
  );
}

function integer(
  env: EnvReader,
  name: string,
  fallback: number,
  max: number,
  what: string,
): number {
  const text = env(name) || String(fallback);
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new ConfigError(`Cannot use ${name}: not ${what}: ${text}`);
  }
  return value;
}

/** Options of {@linkcode notebookServer}. */
export interface NotebookServerOptions {
  /** A GGUF path. @default {settings.model, else the verified offline model (fetched on first use)} */
  model?: string;
  /** The port to serve on. @default {settings.port} */
  port?: number;
  /** The address to serve on. @default {"127.0.0.1"} */
  host?: string;
  /** Speculative decoding of a server this notebook starts. @default {settings.speculative} */
  speculative?: SpeculativeChoice;
  /** Passed to the server lifecycle. */
  lifecycle?: LifecycleOptions;
  /** Where the defaults come from. @default {notebookSettings()} */
  settings?: NotebookSettings;
}

/** A model server for a notebook: `model` goes to `runTask`; `stop()` or disposal stops what was started. */
export interface NotebookServer extends AsyncDisposable, Displayable {
  /** The lifecycle handle. */
  readonly handle: ServerHandle;
  /** The chat model served, ready for `runTask`. */
  readonly model: ChatModel;
  /** What runs a task on this server (model, engine, URL, version, sandbox), for `runTask`'s `provenance`. */
  readonly provenance: RunProvenance;
  /** Stops the server when this notebook started it; a reused server keeps running. */
  stop(): Promise<void>;
}

/**
 * Starts llama-server on the port, or reuses factory's healthy server already serving the model there
 * with the same speculative decoding. The model it returns pins the Coder and the Sheriff to their slots.
 */
export async function notebookServer(options: NotebookServerOptions = {}): Promise<NotebookServer> {
  const settings = options.settings ?? notebookSettings();
  const model = options.model ?? settings.model ??
    (await fetchModel(defaultCatalog().default, { signal: options.lifecycle?.signal })).path;
  const choice = options.speculative ?? settings.speculative;
  const speculation = await decideSpeculation(choice, {
    engine: "llama.cpp",
    model,
    signal: options.lifecycle?.signal,
  });
  const host = options.host ?? "127.0.0.1";
  const handle = await ensureServer(
    {
      engine: "llama.cpp",
      model,
      host,
      port: options.port ?? settings.port,
      speculation,
      reuseAnySpeculation: choice === "auto",
    },
    options.lifecycle,
  );
  const speculative = handle.speculation ? describeSpeculation(handle.speculation) : undefined;
  return {
    handle,
    model: openAIModel({ baseUrl: handle.baseUrl, model: handle.model, slots: PERSONA_SLOTS }),
    provenance: provenanceOf(
      { modelName: handle.model, engine: handle.engine, baseUrl: handle.baseUrl },
      await resolveSandbox("auto"),
    ),
    stop: () => handle.stop(),
    [Symbol.asyncDispose]: () => handle.stop(),
    [JUPYTER_DISPLAY]: () => serverBundle({ ...handle, speculative }),
  };
}
