/**
 * Runs a CLI command (`main` or a sub-command) in a temporary directory against a fake OpenAI server:
 * the set-up the in-process CLI and bench command tests share.
 */
import { dirname, join, resolve } from "node:path";
import { type FakeOpenAIServer, fakeOpenAIServer, type FakeReply } from "../_fake_openai_server.ts";
import { tempDir } from "../_helpers.ts";
import { type CapturedIo, captureIo } from "./_io.ts";

/** What {@linkcode runAgainstFakeServer} leaves to check; disposing it stops the server, then removes the directory. */
export interface FakeServerRun extends AsyncDisposable {
  /** The exit code. */
  readonly code: number;
  /** The io the command ran with, in {@linkcode dir}. */
  readonly io: CapturedIo;
  readonly server: FakeOpenAIServer;
  /** The temporary directory, the command's working directory. */
  readonly dir: string;
  /** The absolute path of the `--out` directory. */
  readonly out: string;
}

/** How {@linkcode runAgainstFakeServer} sets up. */
export interface FakeServerRunOptions {
  /** The fake server's replies, one per chat request. */
  replies: Array<string | FakeReply>;
  /** The `--out` value, relative to the directory; @default {an absolute path to "runs" in the directory} */
  out?: string;
  /** Files copied into the directory first, under the same relative paths. */
  files?: string[];
}

/** Runs `command` with `args`, then `--base-url <fake server> --out <out>`, in a fresh temporary directory. */
export async function runAgainstFakeServer(
  command: (args: string[], io: CapturedIo) => Promise<number>,
  args: string[],
  options: FakeServerRunOptions,
): Promise<FakeServerRun> {
  const dir = await tempDir();
  const server = fakeOpenAIServer({ replies: options.replies });
  const dispose = async () => {
    try {
      await server[Symbol.asyncDispose]();
    } finally {
      await dir[Symbol.asyncDispose]();
    }
  };
  try {
    for (const file of options.files ?? []) {
      await Deno.mkdir(join(dir.path, dirname(file)), { recursive: true });
      await Deno.copyFile(file, join(dir.path, file));
    }
    const outArg = options.out ?? join(dir.path, "runs");
    const io = captureIo(dir.path);
    const code = await command([...args, "--base-url", server.baseUrl, "--out", outArg], io);
    const out = resolve(dir.path, outArg);
    return { code, io, server, dir: dir.path, out, [Symbol.asyncDispose]: dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
