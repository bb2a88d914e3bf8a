/**
 * `factory engine install|info` and `factory doctor`.
 *
 * @module
 */
import { ConfigError, EXIT } from "../errors.ts";
import { parseFlags } from "./parse.ts";
import { DOCTOR_HELP, ENGINE_HELP } from "./help.ts";
import type { CliIo } from "./io.ts";
import { ensureLlamaServer, llamaInfo } from "../server/provision_llama.ts";
import { doctor } from "../server/doctor.ts";
import { formatDoctor } from "../server/format_doctor.ts";
import { provisionPrinter } from "../setup/progress.ts";
import { readConfigFile } from "../config/read.ts";

/** Runs `factory engine ACTION`; returns the exit code. */
export async function engineCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags("engine", args, {
    binary: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  const [action] = positionals;
  if (values.help || action === undefined) {
    io.out(ENGINE_HELP + "\n");
    return values.help ? EXIT.passed : EXIT.usage;
  }
  switch (action) {
    case "install": {
      const started = Date.now();
      const binary = await ensureLlamaServer({
        binary: values.binary,
        signal: io.signal,
        onProgress: provisionPrinter(io.err),
      });
      io.out(`llama-server ready: ${binary} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
      return EXIT.passed;
    }
    case "info": {
      const info = await llamaInfo({ binary: values.binary, signal: io.signal });
      if (info.kind === "missing") {
        io.out(
          `llama-server: not installed (${info.reason}); install it with: deno run -A cli.ts engine install\n`,
        );
        return EXIT.failed;
      }
      io.out(`llama-server: ${info.path} (${info.source})\nversion: ${info.version ?? "unknown"}\n`);
      if (info.build) {
        io.out(`built: ${info.build.builtAt}${info.build.tag ? ` from llama.cpp ${info.build.tag}` : ""}\n`);
      }
      return EXIT.passed;
    }
    default:
      throw new ConfigError(`engine: unknown action: ${action} (expected install or info)`);
  }
}

/** Runs `factory doctor`; exits 0 when everything needed for a run is present, else 1. */
export async function doctorCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags("doctor", args, { help: { type: "boolean", short: "h" } });
  if (values.help) {
    io.out(DOCTOR_HELP + "\n");
    return EXIT.passed;
  }
  const file = await readConfigFile(undefined, { cwd: io.cwd });
  const report = await doctor({ speculative: file.config.server?.speculative });
  io.out(formatDoctor(report).join("\n") + "\n");
  const ready = report.items.every((item) => !item.required || item.presence.kind !== "missing");
  return ready ? EXIT.passed : EXIT.failed;
}
