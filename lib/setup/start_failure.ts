/**
 * Turning a failed server start into advice that fits the engine: the mlx engine without `mlx_lm`
 * says how to get it instead of "python3 exited with code 1".
 *
 * @module
 */
import { ServerError } from "../errors.ts";
import type { Config } from "../config/schema.ts";
import { COMMAND_NAME } from "../host/invocation.ts";
import { mlxImports } from "../server/engines/select.ts";

/** Options of {@linkcode explainStartFailure}. */
export interface StartFailureOptions {
  /** How factory was started, for the commands the advice shows. @default {"factory"} */
  command?: string;
  /** Whether python3 imports `mlx_lm`. @default {runs python3} */
  mlxImports?: () => Promise<boolean>;
}

/** `error` from starting the server of `config`, or a clearer `ServerError` when the cause is known. */
export async function explainStartFailure(
  error: unknown,
  config: Config,
  options: StartFailureOptions = {},
): Promise<unknown> {
  if (!(error instanceof ServerError) || config.server.engine !== "mlx") return error;
  if (await (options.mlxImports ?? mlxImports)()) return error;
  const command = options.command ?? COMMAND_NAME;
  return new ServerError(
    `Cannot start mlx_lm.server: mlx_lm is not installed for python3: on Apple Silicon run ` +
      `"pip install mlx-lm"; on Linux run "${command} engine install --engine mlx"`,
    { cause: error },
  );
}
