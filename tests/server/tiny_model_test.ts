import assert from "node:assert/strict";
import { ServerError } from "../../lib/errors.ts";
import type { RunCommand } from "../../lib/host/command.ts";
import { cacheRoot } from "../../lib/host/cache_paths.ts";
import { llamaPaths } from "../../lib/server/paths.ts";
import { ensureTinyModel, scriptPath, TINY_MODEL_FILE } from "../../lib/server/tiny_model.ts";
import { requires } from "../_tier.ts";

const NUMPY = requires("python3", "numpy");

Deno.test("ensureTinyModel() returns the cached model without running anything", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${root}/models`);
    await Deno.writeTextFile(`${root}/models/${TINY_MODEL_FILE}`, "GGUF");
    const run: RunCommand = () => Promise.reject(new Error("must not run"));
    assert.equal(await ensureTinyModel({ root, run }), `${root}/models/${TINY_MODEL_FILE}`);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("ensureTinyModel() writes under a temporary name and renames; a failure leaves nothing", async (t) => {
  const root = await Deno.makeTempDir();
  const target = `${root}/models/${TINY_MODEL_FILE}`;
  try {
    await t.step("python fails: ServerError with its last stderr line, no file", async () => {
      const run: RunCommand = (_c, args) => {
        Deno.writeTextFileSync(args[args.indexOf("--output") + 1], "half");
        return Promise.resolve({
          kind: "exited",
          code: 1,
          stdout: "",
          stderr: "Traceback\nModuleNotFoundError: numpy",
        });
      };
      await assert.rejects(
        ensureTinyModel({ root, llamaSource: "/src", run }),
        new ServerError("Cannot generate the tiny model: python3 failed: ModuleNotFoundError: numpy"),
      );
      assert.deepEqual([...Deno.readDirSync(`${root}/models`)], []);
    });
    await t.step("python succeeds: the output is renamed into place", async () => {
      const calls: string[][] = [];
      const run: RunCommand = (command, args) => {
        calls.push([command, ...args]);
        Deno.writeTextFileSync(args[args.indexOf("--output") + 1], "GGUF");
        return Promise.resolve({ kind: "exited", code: 0, stdout: "", stderr: "" });
      };
      assert.equal(await ensureTinyModel({ root, llamaSource: "/src", run, python: "/usr/bin/py" }), target);
      assert.deepEqual(calls[0].slice(0, 4), ["/usr/bin/py", scriptPath(), "--llama-src", "/src"]);
      assert.equal(await Deno.readTextFile(target), "GGUF");
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test(
  "make_tiny_model.py writes a 2-layer qwen2 GGUF with the Qwen2 vocabulary (real python)",
  NUMPY,
  async () => {
    const src = llamaPaths(cacheRoot()).src;
    const root = await Deno.makeTempDir();
    try {
      const path = await ensureTinyModel({ root, llamaSource: src });
      const bytes = await Deno.readFile(path);
      assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), "GGUF");
      assert.ok(bytes.length > 40e6 && bytes.length < 50e6, `size ${bytes.length}`);
      const head = new TextDecoder().decode(bytes.subarray(0, 4096));
      assert.ok(head.includes("qwen2.block_count"));
      assert.ok(new TextDecoder("latin1").decode(bytes.subarray(0, 8e6)).includes("tokenizer.chat_template"));
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
);
