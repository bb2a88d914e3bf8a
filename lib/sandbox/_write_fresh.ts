/**
 * Writing a file into a work dir a program has had its hands on, private to the sandbox folder.
 *
 * @module
 */

/**
 * Writes `text` to `path` as a new file: whatever is there first is removed (a symbolic link planted by
 * a program is removed itself, never followed), and the file is created exclusively, so a link made in
 * between fails the write instead of redirecting it outside the work dir.
 */
export async function writeFresh(path: string, text: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.writeTextFile(path, text, { createNew: true });
}
