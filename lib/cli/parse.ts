/**
 * Flag parsing on `node:util` parseArgs, with every mistake turned into a one-line `ConfigError`.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError } from "../errors.ts";

/** The option table of one command. */
export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/** Parses `args` strictly: an unknown flag or a missing value is a `ConfigError` naming it. */
export function parseFlags<O extends OptionSpec>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ConfigError(`${command}: ${message.replace(/\. To specify a positional.*$/, "")}`, {
      cause: error,
    });
  }
}

/** A flag's value as a number within bounds, or a `ConfigError` naming the flag. */
export function numberFlag(
  flag: string,
  value: string | undefined,
  bounds: { min: number; integer?: boolean },
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const ok = value.trim() !== "" && Number.isFinite(n) && n >= bounds.min &&
    (!bounds.integer || Number.isInteger(n));
  if (!ok) {
    const kind = bounds.integer ? "a whole number" : "a number";
    throw new ConfigError(`--${flag}: expected ${kind} >= ${bounds.min}, got "${value}"`);
  }
  return n;
}

/** A flag's value as one of `choices`, or a `ConfigError` naming the flag and the choices. */
export function choiceFlag<const T extends readonly string[]>(
  flag: string,
  value: string | undefined,
  choices: T,
): T[number] | undefined {
  if (value === undefined) return undefined;
  if ((choices as readonly string[]).includes(value)) return value as T[number];
  const list = `${choices.slice(0, -1).join(", ")} or ${choices.at(-1)}`;
  throw new ConfigError(`--${flag}: expected ${list}, got ${JSON.stringify(value)}`);
}
