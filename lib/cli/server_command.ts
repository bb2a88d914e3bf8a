/**
 * `factory server start|status|stop|logs`: the model server's lifecycle from the command line.
 *
 * @module
 */
import { ConfigError, EXIT } from "../errors.ts";
import { numberFlag, parseFlags } from "./parse.ts";
import { SERVER_HELP, withCommand } from "./help.ts";
import { type CliIo, commandOf } from "./io.ts";
import { flagOfKey } from "./flag_names.ts";
import { readConfigFile } from "../config/read.ts";
import { resolveConfig } from "../config/resolve.ts";
import { checkPartialConfig } from "../config/schema.ts";
import type { EngineChoice, SpeculativeChoice } from "../types.ts";
import { startServer } from "../server/lifecycle.ts";
import { serverStatus } from "../server/server_status.ts";
import { stopServer } from "../server/stop_server.ts";
import { serverLogs } from "../server/server_logs.ts";
import { serverPrinter } from "../setup/progress.ts";
import { serverSpecFor } from "../setup/server_spec.ts";
import { describeSpeculation } from "../server/speculation.ts";

const OPTIONS = {
  engine: { type: "string" },
  model: { type: "string", short: "m" },
  host: { type: "string" },
  port: { type: "string" },
  speculative: { type: "string" },
  config: { type: "string" },
  lines: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs `factory server ACTION`; returns the exit code. */
export async function serverCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags("server", args, OPTIONS);
  const [action, ...extra] = positionals;
  if (values.help || action === undefined) {
    io.out(withCommand(SERVER_HELP, commandOf(io)) + "\n");
    return values.help ? EXIT.passed : EXIT.usage;
  }
  if (extra.length) throw new ConfigError(`server ${action}: unexpected argument: ${extra[0]}`);
  const flags = checkPartialConfig(
    {
      server: {
        engine: values.engine as EngineChoice | undefined,
        model: values.model,
        host: values.host,
        port: numberFlag("port", values.port, { min: 1, integer: true }),
        speculative: values.speculative as SpeculativeChoice | undefined,
      },
    },
    "Invalid flag",
    flagOfKey,
  );
  const file = await readConfigFile(values.config, { cwd: io.cwd });
  const config = resolveConfig({ file: file.config, flags });
  const port = values.port !== undefined || file.config.server?.port !== undefined
    ? config.server.port
    : undefined;
  switch (action) {
    case "start": {
      const model = config.server.model ?? await io.defaultModel?.(config, io.err);
      const { spec } = await serverSpecFor(config, model, { say: io.err, signal: io.signal });
      const handle = await startServer(spec, {
        signal: io.signal,
        onProgress: serverPrinter(io.err),
        command: commandOf(io),
      });
      io.out(
        `${handle.engine} serving ${handle.model} at ${handle.baseUrl}${
          handle.pid ? ` (pid ${handle.pid})` : ""
        }\n`,
      );
      if (handle.speculation) io.out(`speculative ${describeSpeculation(handle.speculation)}\n`);
      if (handle.logPath) io.out(`log ${handle.logPath}\n`);
      return EXIT.passed;
    }
    case "status":
      return printStatus(await serverStatus({ port, signal: io.signal, env: io.env }), io);
    case "stop": {
      const outcome = await stopServer({ port, signal: io.signal, env: io.env });
      if (outcome.kind === "stopped") {
        io.out(
          `stopped ${outcome.engine} (pid ${outcome.pid}, port ${outcome.port}) with ${outcome.signal}\n`,
        );
      } else {io.out(
          `no factory server is running${outcome.cleaned ? ` (cleaned up: ${outcome.cleaned})` : ""}\n`,
        );}
      return EXIT.passed;
    }
    case "logs": {
      const lines = numberFlag("lines", values.lines, { min: 1, integer: true }) ?? 40;
      const text = await serverLogs({ port, lines, env: io.env });
      if (text === "") {
        const where = port === undefined ? "" : ` on port ${port}`;
        io.out(
          `no server log: no factory server has run${where} (start one with "${
            commandOf(io)
          } server start")\n`,
        );
        return EXIT.failed;
      }
      io.out(text.endsWith("\n") ? text : `${text}\n`);
      return EXIT.passed;
    }
    default:
      throw new ConfigError(`server: unknown action: ${action} (expected start, status, stop or logs)`);
  }
}

function printStatus(status: Awaited<ReturnType<typeof serverStatus>>, io: CliIo): number {
  if (status.kind === "not_running") {
    io.out(`no factory server is running${status.cleaned ? ` (cleaned up: ${status.cleaned})` : ""}\n`);
    return EXIT.failed;
  }
  const slots = status.slots?.map((s) => `${s.id}:${s.busy ? "busy" : "idle"}/${s.contextSize}`).join(" ");
  const speculating = status.slots?.some((s) => s.speculative) ? ", active in the slots" : "";
  io.out(
    [
      `engine       ${status.engine}`,
      `model        ${status.model}`,
      `pid          ${status.pid}`,
      `url          ${status.baseUrl}`,
      `uptime       ${Math.round(status.uptimeMs / 1000)} s (since ${status.startedAt})`,
      `health       ${status.health.kind}`,
      `speculative  ${describeSpeculation(status.speculation)}${speculating}`,
      ...(slots ? [`slots        ${slots} (runs pin the Coder to slot 0, the Sheriff to slot 1)`] : []),
      `log          ${status.logPath}`,
    ].join("\n") + "\n",
  );
  return EXIT.passed;
}
