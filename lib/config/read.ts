/**
 * Reading YAML files safely (bounded size, strict UTF-8, no alias bombs, a mapping at the top) and
 * reading `factory.yaml`. The only file system access of the config and task modules.
 *
 * @module
 */

import { parseDocument } from "yaml";
import { join } from "node:path";
import { ConfigError } from "../errors.ts";
import { parseConfigObject, type PartialConfig } from "./schema.ts";

/** The largest config or task file read, in bytes. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** How many alias expansions a document may have before it is treated as an attack. */
const MAX_ALIAS_COUNT = 100;

/** The config file looked for in the working directory when no path is given. */
export const DEFAULT_CONFIG_FILE = "factory.yaml";

/** Options for {@linkcode readYamlFile}. */
export interface ReadYamlOptions {
  /** Which kind of file, for messages: `Config file not found: …` or `Task file not found: …`. */
  kind: "config" | "task";
  /** The largest file accepted, in bytes. @default {MAX_FILE_BYTES} */
  maxBytes?: number;
}

/** The prefix of every message about a file's content: `Invalid config in x.yaml`. */
export function invalidPrefix(kind: "config" | "task", path: string): string {
  return kind === "config" ? `Invalid config in ${path}` : `Invalid task file ${path}`;
}

function describeSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${bytes} bytes`;
}

/** Reads at most `maxBytes + 1` bytes, so an oversized file (or a device) is never read whole. */
async function readBounded(path: string, kind: "config" | "task", maxBytes: number): Promise<Uint8Array> {
  const label = kind === "config" ? "Config file" : "Task file";
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new ConfigError(`${label} not found: ${path}`);
    throw new ConfigError(`Cannot read ${kind} file ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const info = await file.stat();
    if (info.isDirectory) throw new ConfigError(`${invalidPrefix(kind, path)}: is a directory`);
    const limit = describeSize(maxBytes);
    const tooBig = `${invalidPrefix(kind, path)}: the file is larger than the limit of ${limit}`;
    if (info.isFile && info.size > maxBytes) {
      throw new ConfigError(`${tooBig} (${describeSize(info.size)})`);
    }
    const buffer = new Uint8Array(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = await file.read(buffer.subarray(length));
      if (read === null) break;
      length += read;
    }
    if (length > maxBytes) throw new ConfigError(tooBig);
    return buffer.subarray(0, length);
  } finally {
    file.close();
  }
}

/** Parses YAML text to plain data; every parse error or warning is a ConfigError naming the file. */
function parseYaml(text: string, prefix: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const line = problem.message.split("\n")[0].replace(/:$/, "");
    throw new ConfigError(`${prefix}: YAML error: ${line}`, { cause: problem });
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const detail = error instanceof ReferenceError && /alias/i.test(error.message)
      ? `too many alias expansions (more than ${MAX_ALIAS_COUNT})`
      : (error as Error).message;
    throw new ConfigError(`${prefix}: YAML error: ${detail}`, { cause: error });
  }
}

function describeKind(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return "a string";
  return typeof value === "object" ? "a mapping" : `a ${typeof value}`;
}

/**
 * Reads a YAML file whose top level must be a mapping, and returns it as plain data. An empty file
 * (or only comments) is an empty mapping. Throws a `ConfigError` naming the file when it is missing,
 * too large, not UTF-8, not valid YAML, has too many aliases, or is not a mapping.
 */
export async function readYamlFile(path: string, options: ReadYamlOptions): Promise<Record<string, unknown>> {
  const { kind, maxBytes = MAX_FILE_BYTES } = options;
  const prefix = invalidPrefix(kind, path);
  const bytes = await readBounded(path, kind, maxBytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw new ConfigError(`${prefix}: the file is not valid UTF-8 text`, { cause: error });
  }
  const data = parseYaml(text, prefix);
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data)) {
    const found = describeKind(data);
    throw new ConfigError(`${prefix}: expected a mapping of keys at the top level, got ${found}`);
  }
  return data as Record<string, unknown>;
}

/** Options for {@linkcode readConfigFile}. */
export interface ReadConfigOptions {
  /** Where to look for `factory.yaml` when no path is given. @default {Deno.cwd()} */
  cwd?: string;
}

/**
 * Reads the config file layer. With `path`, the file must exist; without it, `factory.yaml` in the
 * working directory is read when present, otherwise the layer is empty. Throws a `ConfigError`
 * naming the file (and the key) for anything wrong with it.
 */
export async function readConfigFile(
  path?: string,
  options: ReadConfigOptions = {},
): Promise<{ path?: string; config: PartialConfig }> {
  if (path === undefined) {
    const found = options.cwd === undefined ? DEFAULT_CONFIG_FILE : join(options.cwd, DEFAULT_CONFIG_FILE);
    if (!(await isPresent(found))) return { config: {} };
    path = found;
  }
  const data = await readYamlFile(path, { kind: "config" });
  return { path, config: parseConfigObject(data, invalidPrefix("config", path)) };
}

async function isPresent(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw new ConfigError(`Cannot read config file ${path}: ${(error as Error).message}`, { cause: error });
  }
}
