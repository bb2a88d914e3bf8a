/** A captured CLI io for in-process tests, and one wired to the fakes (scripted model, fake executor). */
import type { CliIo } from "../../lib/cli/io.ts";
import type { ChatModel, Executor } from "../../lib/types.ts";
import type { Connection } from "../../lib/setup/connect_model.ts";

/** Captured stdout/stderr plus the io to pass to `main`. */
export interface CapturedIo extends CliIo {
  stdout(): string;
  stderr(): string;
}

/** An io writing to memory, in `cwd`. */
export function captureIo(cwd: string, signal: AbortSignal = new AbortController().signal): CapturedIo {
  let out = "";
  let err = "";
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    tty: false,
    cwd,
    signal,
    stdout: () => out,
    stderr: () => err,
  };
}

/** The fake model connection of {@linkcode fakeIo}: a scripted model behind a made-up server. */
export const FAKE_SERVER = {
  baseUrl: "http://127.0.0.1:9/v1",
  modelName: "scripted-model",
  engine: "openai",
};

/**
 * An io whose `run` talks to `model` and runs programs with `executor`, on a machine that appears to
 * have bubblewrap: the real CLI, nothing started, nothing run.
 */
export function fakeIo(cwd: string, parts: { model: ChatModel; executor: Executor }): CapturedIo {
  const connection: Connection = {
    model: parts.model,
    baseUrl: FAKE_SERVER.baseUrl,
    modelName: FAKE_SERVER.modelName,
    engine: FAKE_SERVER.engine,
    diagnose: () => Promise.resolve(undefined),
    [Symbol.asyncDispose]: () => Promise.resolve(),
  };
  return {
    ...captureIo(cwd),
    connect: () => Promise.resolve(connection),
    executor: parts.executor,
    sandbox: {
      detect: () =>
        Promise.resolve({
          kind: "bwrap",
          bwrap: "/usr/bin/bwrap",
          prlimit: "/usr/bin/prlimit",
          shell: "/bin/sh",
        }),
    },
  };
}
