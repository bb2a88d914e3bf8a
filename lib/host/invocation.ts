/**
 * How factory was started, as the command a person can type to start it again: `factory` when that
 * command is installed (`deno install -g -A -c deno.json -n factory cli.ts`) and runs this same
 * `cli.ts`, the executable's name for a compiled binary, else `deno run -A <cli.ts>` with the path as
 * short as it can be from here. Every hint factory prints starts with it.
 *
 * @module
 */
import { basename, isAbsolute, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { type Which, which as realWhich } from "./find_tool.ts";

/** The name `deno install` is told to give the command. */
export const COMMAND_NAME = "factory";

/** What {@linkcode factoryCommand} looks at; each has the real process's value as its default. */
export interface InvocationOptions {
  /** The entry module. @default {Deno.mainModule} */
  mainModule?: string;
  /** The running executable. @default {Deno.execPath()} */
  execPath?: string;
  /** Where the user is. @default {Deno.cwd()} */
  cwd?: string;
  /** Finds a command on PATH. @default {which on the real PATH} */
  which?: Which;
  /** Reads an installed command's script. @default {Deno.readTextFile} */
  readText?: (path: string) => Promise<string>;
}

/** The command that starts factory, as a person would type it here. */
export async function factoryCommand(options: InvocationOptions = {}): Promise<string> {
  const execPath = options.execPath ?? Deno.execPath();
  const which = options.which ?? realWhich;
  const exe = basename(execPath).replace(/\.exe$/, "");
  if (exe !== "deno") return (await which(exe)) === execPath ? exe : quoted(execPath);
  const main = options.mainModule ?? Deno.mainModule;
  if (await installedRuns(main, which, options.readText ?? Deno.readTextFile)) return COMMAND_NAME;
  if (!main.startsWith("file:")) return `deno run -A ${main}`;
  const path = fileURLToPath(main);
  const rel = relative(options.cwd ?? Deno.cwd(), path);
  const short = rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
  return `deno run -A ${quoted(short)}`;
}

/** Whether a `factory` command on PATH is a `deno install` script running `main`. */
async function installedRuns(
  main: string,
  which: Which,
  readText: (path: string) => Promise<string>,
): Promise<boolean> {
  const path = await which(COMMAND_NAME);
  if (!path) return false;
  try {
    const script = await readText(path);
    return script.length < 10_000 && (script.includes(`'${main}'`) || script.includes(`"${main}"`));
  } catch {
    return false;
  }
}

function quoted(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}
