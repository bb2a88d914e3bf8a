/**
 * The few domain errors callers catch. Expected outcomes (timeouts, failed runs, FAIL verdicts) are
 * values, not exceptions; these are for configuration mistakes and server failures.
 *
 * @module
 */

/** A bad config file, task file or flag. The CLI exits with code 2. */
export class ConfigError extends Error {
  /** Always `"ConfigError"`. */
  override name = "ConfigError";
  /** Makes the error; `options.cause` keeps the underlying error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** The model server could not be started, reached or identified. The CLI exits with code 3. */
export class ServerError extends Error {
  /** Always `"ServerError"`. */
  override name = "ServerError";
  /** Makes the error; `options.cause` keeps the underlying error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Why a model call failed. */
export type ModelErrorReason = "unreachable" | "http" | "timeout" | "bad_reply";

/** A model call failed: the server is unreachable, answered an error, or the call timed out. Exit 3. */
export class ModelError extends Error {
  /** Always `"ModelError"`. */
  override name = "ModelError";
  /** Why the call failed: unreachable, an HTTP error, a timeout or a bad reply. */
  readonly reason: ModelErrorReason;
  /** Makes the error with its reason; `options.cause` keeps the underlying error. */
  constructor(message: string, reason: ModelErrorReason, options?: ErrorOptions) {
    super(message, options);
    this.reason = reason;
  }
}

/** Exit codes of the CLI, documented in the README. */
export const EXIT = {
  passed: 0,
  failed: 1,
  usage: 2,
  server: 3,
  interrupted: 130,
} as const;
