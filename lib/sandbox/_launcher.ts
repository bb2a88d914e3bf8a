/**
 * The `sh` prefix that runs before anything of a program: it joins the run's control groups (so every
 * process the program ever starts is in them) and opens the files a sandbox reads from a descriptor
 * (bubblewrap's `--seccomp 9`), then execs the command in place. Private to the sandbox folder. Pure.
 *
 * @module
 */

/** What the prefix does before it execs the command. */
export interface LauncherSteps {
  /** `cgroup.procs` files the shell writes its own pid to. */
  joinFiles: string[];
  /** Files opened read-only on these descriptors, e.g. `{ 9: "/tmp/…/keyring.bpf" }`. */
  readFds: Record<number, string>;
}

const SAFE_PATH = /^\/[A-Za-z0-9_./-]+$/;

/**
 * `[shell, "-c", SCRIPT, "sh", ...command]`, or `command` itself when there is nothing to do first.
 *
 * @throws {TypeError} when a path holds a character that would need quoting (ours never do).
 */
export function launcherCommand(shell: string, steps: LauncherSteps, command: string[]): string[] {
  const fds = Object.entries(steps.readFds);
  if (steps.joinFiles.length === 0 && fds.length === 0) return command;
  for (const path of [...steps.joinFiles, ...fds.map(([, path]) => path)]) {
    if (!SAFE_PATH.test(path)) throw new TypeError(`Cannot launch through ${path}: unexpected characters`);
  }
  const script = [
    ...fds.map(([fd, path]) => `exec ${Number(fd)}<'${path}'`),
    ...steps.joinFiles.map((file) => `echo $$ > '${file}'`),
    `exec "$@"`,
  ].join(" && ");
  return [shell, "-c", script, "sh", ...command];
}
