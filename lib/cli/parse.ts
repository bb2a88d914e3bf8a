/**
 * Flag parsing on `node:util` parseArgs, with every mistake turned into a one-line `ConfigError`.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError } from "../errors.ts";

/** The option table of one command. */
export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/**
 * Parses `args` strictly: an unknown flag or a missing value is a `ConfigError` naming it. A negative
 * number after a flag that takes a value is that flag's value (`-n -3` reads as `--max-attempts=-3`,
 * which the flag's own check then refuses with what it expects), and so is `-n=3`.
 */
export function parseFlags<O extends OptionSpec>(command: string, args: string[], options: O) {
  try {
    return parseArgs({
      args: withValuesJoined(args, options),
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    const ambiguous = /^Option '([^']+)' argument is ambiguous/.exec(message);
    if (ambiguous) {
      const flag = longName(ambiguous[1], options);
      const value = args[args.indexOf(ambiguous[1]) + 1] ?? "";
      throw new ConfigError(
        `${command}: ${flag} takes a value, and ${JSON.stringify(value)} looks like a flag: ` +
          `write ${flag}=${value} if it is the value`,
        { cause: error },
      );
    }
    throw new ConfigError(`${command}: ${message.replace(/\. To specify a positional.*$/, "")}`, {
      cause: error,
    });
  }
}

/** `-n -3` and `-n=-3` as `--max-attempts=-3`, for every flag that takes a value. */
function withValuesJoined(args: string[], options: OptionSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") return [...out, ...args.slice(i)];
    const [flag, inline] = splitInline(arg);
    const name = optionName(flag, options);
    if (name === undefined || options[name].type !== "string") {
      out.push(arg);
    } else if (inline !== undefined) {
      out.push(`--${name}=${inline}`);
    } else if (/^-\d|^-\.\d/.test(args[i + 1] ?? "")) {
      out.push(`--${name}=${args[++i]}`);
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** `-n=3` → [`-n`, `3`]; `--port=1` → [`--port`, `1`]; anything else whole. */
function splitInline(arg: string): [string, string | undefined] {
  const match = /^(-[A-Za-z]|--[^=]+)=(.*)$/s.exec(arg);
  return match ? [match[1], match[2]] : [arg, undefined];
}

/** The option a flag (`-n`, `--max-attempts`) names, if any. */
function optionName(flag: string, options: OptionSpec): string | undefined {
  if (flag.startsWith("--")) return Object.hasOwn(options, flag.slice(2)) ? flag.slice(2) : undefined;
  if (/^-[A-Za-z]$/.test(flag)) return Object.keys(options).find((name) => options[name].short === flag[1]);
  return undefined;
}

function longName(flag: string, options: OptionSpec): string {
  const name = optionName(flag, options);
  return name === undefined ? flag : `--${name}`;
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
