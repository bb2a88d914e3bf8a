/**
 * The shape every interpreter's launch plan shares, private to the sandbox folder.
 *
 * @module
 */

/** How to start one program: the executable, its arguments and its whole environment. */
export interface Launch {
  command: string;
  args: string[];
  /** The complete environment: the parent's environment is never inherited. */
  env: Record<string, string>;
  cwd: string;
}

/** Where binaries are looked up inside the sandbox, before the interpreter's own directory. */
export const SAFE_PATH = "/usr/local/bin:/usr/bin:/bin";
