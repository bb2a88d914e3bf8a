/**
 * Turning a failed server start into advice that fits the engine: the mlx engine without a Python that
 * has `mlx_lm` says how to get one instead of "python3 exited with code 1". A failed install already
 * says why, and is kept.
 *
 * @module
 */
import { ServerError } from "../errors.ts";
import type { Config } from "../config/schema.ts";
import { COMMAND_NAME } from "../host/invocation.ts";
import { findMlxPython } from "../server/mlx_venv.ts";

/** Options of {@linkcode explainStartFailure}. */
export interface StartFailureOptions {
  /** How factory was started, for the commands the advice shows. @default {"factory"} */
  command?: string;
  /** Whether a Python with `mlx_lm` is there (configured, factory's environment, or on PATH). @default {findMlxPython} */
  mlxFound?: () => Promise<boolean>;
}

/** `error` from starting the server of `config`, or a clearer `ServerError` when the cause is known. */
export async function explainStartFailure(
  error: unknown,
  config: Config,
  options: StartFailureOptions = {},
): Promise<unknown> {
  if (!(error instanceof ServerError) || config.server.engine !== "mlx") return error;
  if (error.message.startsWith("Cannot install mlx")) return error;
  const found = options.mlxFound ?? (async () => (await findMlxPython()).kind === "found");
  if (await found()) return error;
  const command = options.command ?? COMMAND_NAME;
  return new ServerError(
    `Cannot start mlx_lm.server: mlx_lm is not installed for python3: on Apple Silicon run ` +
      `"pip install mlx-lm"; on Linux run "${command} engine install --engine mlx"`,
    { cause: error },
  );
}
