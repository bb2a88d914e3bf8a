/**
 * Files of this process that bubblewrap reads (the seccomp filter, the fstab mounted inside): written once,
 * into a fresh dir of mode 0700 that no program can reach, removed when the process exits. Private to the
 * sandbox folder.
 *
 * @module
 */

import { join } from "node:path";

let privateDir: Promise<string> | undefined;

/** A fresh dir (mode 0700) for this process's sandbox files, which no program can reach; removed at exit. */
function ownDir(): Promise<string> {
  privateDir ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "factory-sandbox-" });
    await Deno.chmod(dir, 0o700);
    globalThis.addEventListener("unload", () => {
      try {
        Deno.removeSync(dir, { recursive: true });
      } catch {
        // Gone already.
      }
    });
    return dir;
  })();
  return privateDir;
}

const written = new Map<string, Promise<string | undefined>>();

/** Writes `bytes` to `name` in the private dir once per process; resolves with its path. */
export function writeOnce(name: string, bytes: () => Uint8Array | undefined): Promise<string | undefined> {
  let path = written.get(name);
  if (!path) {
    path = (async () => {
      const content = bytes();
      if (content === undefined) return undefined;
      const file = join(await ownDir(), name);
      await Deno.writeFile(file, content, { mode: 0o600, createNew: true });
      return file;
    })();
    written.set(name, path);
  }
  return path;
}

/** The path of a file holding `text` (an fstab for bubblewrap to bind), written once per process per text. */
export async function privateTextFile(name: string, text: string): Promise<string> {
  return (await writeOnce(name, () => new TextEncoder().encode(text)))!;
}
