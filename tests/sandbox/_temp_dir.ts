/**
 * A temporary directory for sandbox tests, removed when disposed.
 *
 * @module
 */

/** A temporary directory that removes itself on `await using`. */
export interface TempDir extends AsyncDisposable {
  path: string;
}

/** Creates a temporary directory (its real path, so it compares equal to what the sandbox sees). */
export async function tempDir(): Promise<TempDir> {
  const path = await Deno.realPath(await Deno.makeTempDir({ prefix: "factory-sandbox-test-" }));
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }),
  };
}

/** Waits until `path` exists and holds a non-empty text, polling every 20 ms; fails after `timeoutMs`. */
export async function waitForFile(path: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const text = await Deno.readTextFile(path);
      if (text.trim() !== "") return text;
    } catch {
      // Not written yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`Timed out waiting for ${path}`);
}
