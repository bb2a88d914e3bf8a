/**
 * Process liveness and identity on this host.
 *
 * @module
 */

/**
 * Whether a process exists (a zombie counts as gone). EPERM means it exists but is not ours to
 * signal, which still counts as alive.
 */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    Deno.kill(pid, 0);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
  }
  if (Deno.build.os !== "linux") return true;
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return true;
  }
}

/** Our uid, or undefined when it cannot be read (no `--allow-sys`, or not a Unix). */
export function ownUid(): number | undefined {
  try {
    return Deno.uid() ?? undefined;
  } catch {
    return undefined;
  }
}
