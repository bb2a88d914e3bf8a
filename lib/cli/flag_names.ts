/**
 * The flags that set config keys, so a bad flag value is reported by the flag the user typed
 * (`--base-url`), not by the key of `factory.yaml` it lands in (`server.base_url`).
 *
 * @module
 */

/** The flag of each config key a command-line flag can set. */
export const FLAG_OF_KEY: Readonly<Record<string, string>> = {
  "server.model": "--model",
  "server.base_url": "--base-url",
  "server.engine": "--engine",
  "server.host": "--host",
  "server.port": "--port",
  "server.speculative": "--speculative",
  "agent.max_attempts": "--max-attempts",
  "agent.execution_timeout": "--timeout",
};

/** The flag that sets `key`, or the key itself when no flag does. */
export function flagOfKey(key: string): string {
  return FLAG_OF_KEY[key] ?? key;
}
