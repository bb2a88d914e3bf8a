/**
 * `factory model fetch|list`.
 *
 * @module
 */
import { ConfigError, EXIT } from "../errors.ts";
import { parseFlags } from "./parse.ts";
import { MODEL_HELP, withCommand } from "./help.ts";
import { type CliIo, commandOf } from "./io.ts";
import { defaultCatalog } from "../models/catalog.ts";
import { cachedModel, fetchModel } from "../models/fetch_model.ts";
import { fetchPrinter } from "../setup/progress.ts";

/** Runs `factory model ACTION`; returns the exit code. */
export async function modelCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags("model", args, { help: { type: "boolean", short: "h" } });
  const [action, name, ...extra] = positionals;
  if (values.help || action === undefined) {
    io.out(withCommand(MODEL_HELP, commandOf(io)) + "\n");
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
