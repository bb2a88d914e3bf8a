/**
 * Process liveness and identity on this host.
 *
 * @module
 */

/**
 * Whether a process exists. A zombie counts as gone, unless only its leader thread exited while
 * another thread still runs (`/proc/<pid>/task`). EPERM means it exists but is not ours to signal,
 * which still counts as alive.
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
    return (state !== "Z" && state !== "X") || liveThread(pid);
  } catch {
    return true;
  }
}

/** Whether a thread of `pid` other than a dead leader still runs. */
function liveThread(pid: number): boolean {
  try {
    for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
      const stat = Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/stat`);
      const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      if (state !== "Z" && state !== "X") return true;
    }
  } catch {
    // The process went away while we looked.
  }
  return false;
}

/** Our uid, or undefined when it cannot be read (no `--allow-sys`, or not a Unix). */
export function ownUid(): number | undefined {
  try {
    return Deno.uid() ?? undefined;
  } catch {
    return undefined;
  }
}
