import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError } from "../../lib/errors.ts";
import { NGRAM_DEFAULT, NO_SPECULATION } from "../../lib/server/speculation.ts";
import { decideSpeculation, PERSONA_SLOTS, slotsFor } from "../../lib/setup/speculation.ts";
import { buildGguf, type KV } from "../models/_gguf_builder.ts";
import { tempDir } from "../_helpers.ts";

function model(eos: number): Uint8Array {
  const tokens: KV = {
    type: "array",
    itemType: "string",
    items: Array.from({ length: 30 }, (_, i) => ({ type: "string", value: `t${i}` })),
  };
  return buildGguf({
    metadata: {
      "tokenizer.ggml.model": { type: "string", value: "gpt2" },
      "tokenizer.ggml.tokens": tokens,
      "tokenizer.ggml.eos_token_id": { type: "u32", value: eos },
    },
    tensors: [],
  });
}

Deno.test("decideSpeculation() turns server.speculative into a server's speculation", async (t) => {
  await t.step("auto on llama.cpp: prompt lookup with the default n-gram settings", async () => {
    assert.deepEqual(await decideSpeculation("auto", { engine: "llama.cpp", model: "/m/a.gguf" }), {
      kind: "ngram",
      ngram: NGRAM_DEFAULT,
    });
  });
  await t.step("auto on ollama, and off anywhere: no speculation", async () => {
    assert.deepEqual(await decideSpeculation("auto", { engine: "ollama", model: "qwen" }), NO_SPECULATION);
    assert.deepEqual(
      await decideSpeculation("off", { engine: "llama.cpp", model: "/m/a.gguf" }),
      NO_SPECULATION,
    );
  });
  await t.step("tuned n-gram settings replace the defaults (the benchmark's arms)", async () => {
    const ngram = { type: "ngram-simple" as const, sizeN: 6 };
    const got = await decideSpeculation("ngram", {
      engine: "llama.cpp",
      model: "/m/a.gguf",
      tuning: { ngram },
    });
    assert.deepEqual(got, { kind: "ngram", ngram });
  });
  await t.step("ngram on a remote OpenAI URL is a ConfigError", async () => {
    await assert.rejects(decideSpeculation("ngram", { engine: "openai", model: "gpt" }), ConfigError);
  });
});

Deno.test("decideSpeculation() draft: checks the draft model's tokenizer against the main model's", async (t) => {
  await using dir = await tempDir();
  const main = join(dir.path, "main.gguf");
  const twin = join(dir.path, "twin.gguf");
  const other = join(dir.path, "other.gguf");
  await Deno.writeFile(main, model(2));
  await Deno.writeFile(twin, model(2));
  await Deno.writeFile(other, model(3));
  const asked: string[] = [];
  const draftModel = (path: string) => async (m: string) => (asked.push(m), await Promise.resolve(path));
  await t.step("the same tokenizer: a draft speculation with the default draft lengths", async () => {
    const got = await decideSpeculation("draft", {
      engine: "llama.cpp",
      model: main,
      draftModel: draftModel(twin),
    });
    assert.deepEqual(got, { kind: "draft", draft: { model: twin, nMax: 3, nMin: 0 } });
    assert.deepEqual(asked, [main], "the draft model is chosen for the main model");
  });
  await t.step("another tokenizer: refused with a clear error", async () => {
    await assert.rejects(
      decideSpeculation("draft", { engine: "llama.cpp", model: main, draftModel: draftModel(other) }),
      new ConfigError(
        "Cannot use other.gguf as the draft model of main.gguf: its tokenizer differs: the end token id is 3, not 2",
      ),
    );
  });
  await t.step("a Hugging Face repo as the main model: nothing to compare, refused", async () => {
    await assert.rejects(
      decideSpeculation("draft", {
        engine: "llama.cpp",
        model: "Qwen/x-GGUF:Q4",
        draftModel: draftModel(twin),
      }),
      /draft needs a local GGUF model to check tokenizers against, not Qwen\/x-GGUF:Q4/,
    );
  });
});

Deno.test("slotsFor() pins the personas only on llama.cpp", () => {
  assert.deepEqual(slotsFor("llama.cpp"), PERSONA_SLOTS);
  assert.deepEqual(slotsFor("llama.cpp", 1), { coder: 2, sheriff: 3 });
  for (const engine of ["mlx", "ollama", "openai", undefined] as const) {
    assert.equal(slotsFor(engine), undefined);
  }
});
