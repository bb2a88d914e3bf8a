import assert from "node:assert/strict";
import { ServerError } from "../../lib/errors.ts";
import type { RunCommand } from "../../lib/host/command.ts";
import { ensureServer } from "../../lib/server/lifecycle.ts";
import {
  ensureTinyMlxModel,
  scriptPath,
  TINY_MLX_MODEL_DIR,
  TINY_MLX_MODEL_FILES,
} from "../../lib/server/tiny_mlx_model.ts";
import { freePort, realEngine, realMlx } from "./_helpers.ts";
import { requires } from "../_tier.ts";

const MLX = requires("mlx", "llama-server", "tiny model");

/** A converter that writes the given files into its --output directory and exits with `code`. */
function fakeConverter(files: readonly string[], code = 0, calls: string[][] = []): RunCommand {
  return async (command, args) => {
    calls.push([command, ...args]);
    const out = args[args.indexOf("--output") + 1];
    await Deno.mkdir(out, { recursive: true });
    for (const file of files) await Deno.writeTextFile(`${out}/${file}`, "{}");
    const stderr = code === 0 ? "" : "Traceback\nModuleNotFoundError: No module named 'tokenizers'";
    return { kind: "exited", code, stdout: "", stderr };
  };
}

Deno.test("ensureTinyMlxModel() returns the cached directory without running anything", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${root}/models/${TINY_MLX_MODEL_DIR}`, { recursive: true });
    await Deno.writeTextFile(`${root}/models/${TINY_MLX_MODEL_DIR}/config.json`, "{}");
    const run: RunCommand = () => Promise.reject(new Error("must not run"));
    assert.equal(await ensureTinyMlxModel({ root, run }), `${root}/models/${TINY_MLX_MODEL_DIR}`);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("ensureTinyMlxModel() converts into a temporary directory and renames; a failure leaves nothing", async (t) => {
  const root = await Deno.makeTempDir();
  const options = { root, gguf: "/m/tiny.gguf", python: "/venv/bin/python3" };
  try {
    await t.step("the converter fails: ServerError with its last stderr line", async () => {
      await assert.rejects(
        ensureTinyMlxModel({ ...options, run: fakeConverter(["config.json"], 1) }),
        new ServerError(
          "Cannot make the tiny MLX model: /venv/bin/python3 failed: ModuleNotFoundError: No module named 'tokenizers'",
        ),
      );
      assert.deepEqual([...Deno.readDirSync(`${root}/models`)], []);
    });
    await t.step("the converter leaves out a file: ServerError naming it", async () => {
      await assert.rejects(
        ensureTinyMlxModel({ ...options, run: fakeConverter(["config.json", "model.safetensors"]) }),
        new ServerError("Cannot make the tiny MLX model: the converter wrote no tokenizer.json"),
      );
      assert.deepEqual([...Deno.readDirSync(`${root}/models`)], []);
    });
    await t.step("the converter succeeds: the directory is renamed into place", async () => {
      const calls: string[][] = [];
      const path = await ensureTinyMlxModel({
        ...options,
        run: fakeConverter(TINY_MLX_MODEL_FILES, 0, calls),
      });
      assert.equal(path, `${root}/models/${TINY_MLX_MODEL_DIR}`);
      assert.deepEqual(calls[0].slice(0, 4), ["/venv/bin/python3", scriptPath(), "--gguf", "/m/tiny.gguf"]);
      assert.deepEqual([...Deno.readDirSync(path)].map((e) => e.name).sort(), [...TINY_MLX_MODEL_FILES]);
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test(
  "make_tiny_mlx_model.py converts the tiny GGUF: Qwen2 config, and a tokenizer equal to llama.cpp's (real)",
  MLX,
  async () => {
    const { python } = await realMlx();
    const llama = await realEngine();
    const root = await Deno.makeTempDir();
    try {
      const dir = await ensureTinyMlxModel({ root, gguf: llama.model, python });
      const config = JSON.parse(await Deno.readTextFile(`${dir}/config.json`));
      assert.deepEqual(
        [config.model_type, config.num_hidden_layers, config.hidden_size, config.vocab_size],
        ["qwen2", 2, 64, 151936],
      );
      assert.equal(config.tie_word_embeddings, true);
      const tokenizerConfig = JSON.parse(await Deno.readTextFile(`${dir}/tokenizer_config.json`));
      assert.equal(tokenizerConfig.eos_token, "<|endoftext|>");
      assert.match(tokenizerConfig.chat_template, /<\|im_start\|>/);

      const samples = [
        "Hello world! It's 2024.\n\n  def f(x):\n    return x",
        "<|im_start|>user\nhi<|im_end|>\n",
        "héllo 你好 ÄÖÜ\t\ttabs   spaces\r\n I'm they'LL 12345 🎉",
      ];
      const encode =
        `import json, sys\nfrom tokenizers import Tokenizer\nt = Tokenizer.from_file(sys.argv[1])\n` +
        `print(json.dumps([t.encode(s).ids for s in json.loads(sys.argv[2])]))`;
      const ours = await new Deno.Command(python, {
        args: ["-c", encode, `${dir}/tokenizer.json`, JSON.stringify(samples)],
        stderr: "inherit",
      }).output();
      const mine: number[][] = JSON.parse(new TextDecoder().decode(ours.stdout));
      await using server = await ensureServer(
        {
          engine: "llama.cpp",
          model: llama.model,
          binary: llama.binary,
          host: "127.0.0.1",
          port: freePort(),
        },
        { stateDir: root },
      );
      for (const [i, content] of samples.entries()) {
        const response = await fetch(`${server.baseUrl.replace(/\/v1$/, "")}/tokenize`, {
          method: "POST",
          body: JSON.stringify({ content, add_special: false, parse_special: true }),
        });
        assert.deepEqual(mine[i], (await response.json()).tokens, `sample ${i}`);
      }
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
);
