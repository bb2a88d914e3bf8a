/**
 * Finding helper programs (bwrap, setpriv, prlimit) once per process, private to the sandbox folder.
 *
 * @module
 */

const SYSTEM_DIRS = ["/usr/bin", "/bin", "/usr/sbin", "/sbin"];

const lookups = new Map<string, Promise<string | null>>();

/**
 * The path of the executable `name`, null when it is not installed. Programs that run inside the sandbox
 * (`sh`, `prlimit`, `setpriv`, `mount`) are looked up in the system dirs only, which the sandbox shows;
 * with `path`, PATH comes first (for `bwrap` itself, which runs outside).
 */
export function findTool(name: string, options: { path?: boolean } = {}): Promise<string | null> {
  const key = `${options.path ? "path:" : ""}${name}`;
  let lookup = lookups.get(key);
  if (!lookup) {
    lookup = findIn(name, options.path ? [...pathDirs(), ...SYSTEM_DIRS] : SYSTEM_DIRS);
    lookups.set(key, lookup);
  }
  return lookup;
}

function pathDirs(): string[] {
  try {
    return (Deno.env.get("PATH") ?? "").split(":").filter((d) => d.startsWith("/"));
  } catch {
    return [];
  }
}

async function findIn(name: string, dirs: string[]): Promise<string | null> {
  for (const dir of dirs) {
    const path = `${dir}/${name}`;
    const info = await Deno.stat(path).catch(() => undefined);
    if (info?.isFile && ((info.mode ?? 0) & 0o111) !== 0) return path;
  }
  return null;
}

/** Our uid, or undefined when it cannot be read (no `--allow-sys`, or not a Unix). */
export function ownUid(): number | undefined {
  try {
    return Deno.uid() ?? undefined;
  } catch {
    return undefined;
  }
}
