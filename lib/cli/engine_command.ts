/**
 * `factory engine install|info` and `factory doctor`.
 *
 * @module
 */
import { ConfigError, EXIT } from "../errors.ts";
import { parseFlags } from "./parse.ts";
import { DOCTOR_HELP, ENGINE_HELP, withCommand } from "./help.ts";
import { type CliIo, commandOf } from "./io.ts";
import { flagOfKey } from "./flag_names.ts";
import type { EngineChoice } from "../types.ts";
import { resolveConfig } from "../config/resolve.ts";
import { checkPartialConfig } from "../config/schema.ts";
import { ensureLlamaServer, llamaInfo } from "../server/provision_llama.ts";
import { findMlxPython } from "../server/mlx_venv.ts";
import { ensureMlxPython } from "../server/provision_mlx.ts";
import { doctor } from "../server/doctor.ts";
import { formatDoctor } from "../server/format_doctor.ts";
import { provisionPrinter } from "../setup/progress.ts";
import { readConfigFile } from "../config/read.ts";

/** Runs `factory engine ACTION`; returns the exit code. */
export async function engineCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags("engine", args, {
    engine: { type: "string" },
    binary: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  const [action] = positionals;
  if (values.help || action === undefined) {
    io.out(withCommand(ENGINE_HELP, commandOf(io)) + "\n");
    return values.help ? EXIT.passed : EXIT.usage;
  }
  if (action !== "install" && action !== "info") {
    throw new ConfigError(`engine: unknown action: ${action} (expected install or info)`);
  }
  const engine = values.engine ?? "llama.cpp";
  if (engine === "mlx") return await mlxCommand(action, values.binary, io);
  if (engine !== "llama.cpp") {
    throw new ConfigError(`engine: --engine: expected llama.cpp or mlx, got "${engine}"`);
  }
  switch (action) {
    case "install": {
      const started = Date.now();
      const binary = await ensureLlamaServer({
        binary: values.binary,
        signal: io.signal,
        onProgress: provisionPrinter(io.err),
      });
      io.out(`llama-server ready: ${binary} (${seconds(started)} s)\n`);
      return EXIT.passed;
    }
    case "info": {
      const info = await llamaInfo({ binary: values.binary, signal: io.signal });
      if (info.kind === "missing") {
        io.out(
          `llama-server: not installed (${info.reason}); install it with: ${commandOf(io)} engine install\n`,
        );
        return EXIT.failed;
      }
      io.out(`llama-server: ${info.path} (${info.source})\nversion: ${info.version ?? "unknown"}\n`);
      if (info.build) {
        io.out(`built: ${info.build.builtAt}${info.build.tag ? ` from llama.cpp ${info.build.tag}` : ""}\n`);
      }
      return EXIT.passed;
    }
  }
}

/** `engine install|info --engine mlx`: the mlx engine's Python (the cached virtual environment). */
async function mlxCommand(
  action: "install" | "info",
  binary: string | undefined,
  io: CliIo,
): Promise<number> {
  if (action === "install") {
    const started = Date.now();
    const python = await ensureMlxPython({ binary, signal: io.signal, onProgress: provisionPrinter(io.err) });
    io.out(`mlx_lm.server ready: ${python} -m mlx_lm.server (${seconds(started)} s)\n`);
    return EXIT.passed;
  }
  const found = await findMlxPython({ binary });
  if (found.kind === "missing") {
    io.out(
      `mlx_lm.server: not installed (${found.reason}); install it with: ${
        commandOf(io)
      } engine install --engine mlx\n`,
    );
    return EXIT.failed;
  }
  io.out(`mlx_lm.server: ${found.python} -m mlx_lm.server (${found.source})\n`);
  if (found.info) {
    const versions = Object.entries(found.info.installed).map(([name, version]) => `${name} ${version}`);
    io.out(`versions: ${versions.join(", ")}\ninstalled: ${found.info.installedAt}\n`);
  }
  return EXIT.passed;
}

function seconds(started: number): string {
  return ((Date.now() - started) / 1000).toFixed(1);
}

/**
 * Runs `factory doctor`; exits 0 when everything a run with this config and these flags needs is
 * present, else 1.
 */
export async function doctorCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags("doctor", args, {
    "base-url": { type: "string" },
    engine: { type: "string" },
    model: { type: "string", short: "m" },
    config: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.out(withCommand(DOCTOR_HELP, commandOf(io)) + "\n");
    return EXIT.passed;
  }
  if (positionals.length) throw new ConfigError(`doctor: unexpected argument: ${positionals[0]}`);
  const flags = checkPartialConfig(
    {
      server: {
        baseUrl: values["base-url"],
        engine: values.engine as EngineChoice | undefined,
        model: values.model,
      },
    },
    "Invalid flag",
    flagOfKey,
  );
  const file = await readConfigFile(values.config, { cwd: io.cwd });
  const { server } = resolveConfig({ file: file.config, flags });
  const report = await doctor({ server, command: commandOf(io), ...io.doctor });
  io.out(formatDoctor(report).join("\n") + "\n");
  const ready = report.items.every((item) => !item.required || item.presence.kind !== "missing");
  return ready ? EXIT.passed : EXIT.failed;
}
