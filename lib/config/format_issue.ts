/**
 * Turns zod validation issues into one short line that names the key: shared by the config file and
 * task file validation so both speak the same way, e.g.
 * `agent.max_attempts: expected an integer >= 1, got "five"`.
 *
 * @module
 */

import type { z } from "zod";

/** One zod validation issue. */
export type Issue = z.core.$ZodIssue;

const MAX_SHOWN = 40;

/**
 * Renders a value found in a file for an error message: JSON for scalars, a word for containers,
 * cut to a short length.
 */
export function showValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  if (text.length <= MAX_SHOWN) return text;
  const more = typeof value === "string" ? ` (${value.length} characters)` : "";
  return `${text.slice(0, MAX_SHOWN)}…${more}`;
}

/**
 * A zod error map saying what was expected and what was found: `expected an integer >= 1, got "five"`,
 * or `missing, expected a non-empty string` when the key is absent.
 */
export function expecting(what: string): (issue: { input?: unknown }) => string {
  return (issue) =>
    issue.input === undefined
      ? `missing, expected ${what}`
      : `expected ${what}, got ${showValue(issue.input)}`;
}

/** The dotted key path of an issue, with list indexes in brackets: `checks.files[0]`. */
export function keyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/** How a key is named in messages: as the file spells it, or as the flag that set it. */
export type KeyNamer = (key: string) => string;

/** Lines for one issue: one per unknown key, otherwise one. */
function issueLines(issue: Issue, name: KeyNamer): string[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => `${name(keyPath([...issue.path, key]))}: unknown key`);
  }
  const where = keyPath(issue.path) && name(keyPath(issue.path));
  const message = issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
  return [where === "" ? message : `${where}: ${message}`];
}

/** One line per problem: unknown keys first (often the one real mistake), then in zod's order. */
export function formatIssueLines(issues: readonly Issue[], name: KeyNamer = (key) => key): string[] {
  const unknown = issues.filter((issue) => issue.code === "unrecognized_keys");
  const others = issues.filter((issue) => issue.code !== "unrecognized_keys");
  return [...unknown, ...others].flatMap((issue) => issueLines(issue, name));
}

/**
 * One line for a list of issues: the first problem, and how many more there are.
 * `agent.max_attemps: unknown key (and 2 more problems)`.
 */
export function formatIssues(issues: readonly Issue[], name?: KeyNamer): string {
  const lines = formatIssueLines(issues, name);
  if (lines.length === 0) return "invalid value";
  const more = lines.length - 1;
  if (more === 0) return lines[0];
  return `${lines[0]} (and ${more} more ${more === 1 ? "problem" : "problems"})`;
}
