/**
 * `deno task bench SUITE [options]`: the benchmark, the same as `deno run -A cli.ts bench SUITE`.
 *
 * @module
 */
import { ConfigError, EXIT, ModelError, ServerError } from "../lib/errors.ts";
import { denoIo } from "../lib/cli/io.ts";
import { benchCommand } from "../lib/cli/bench_command.ts";
import { offlineDefaultModel } from "../lib/cli/model_command.ts";

if (import.meta.main) {
  const controller = new AbortController();
  const onSignal = () => controller.abort(new DOMException("Interrupted", "AbortError"));
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  const io = denoIo(controller.signal);
  io.defaultModel = (config, say) => offlineDefaultModel(config, { signal: io.signal, say });
  let code: number;
  try {
    code = await benchCommand(Deno.args, io);
  } catch (error) {
    if (error instanceof ConfigError) code = EXIT.usage;
    else if (error instanceof ServerError || error instanceof ModelError) code = EXIT.server;
    else if (controller.signal.aborted) code = EXIT.interrupted;
    else throw error;
    io.err(`error: ${(error as Error).message}\n`);
  }
  Deno.exit(code);
}
