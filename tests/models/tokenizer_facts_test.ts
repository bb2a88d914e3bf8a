import assert from "node:assert/strict";
import { join } from "node:path";
import { compareTokenizers, readTokenizer, type TokenizerFacts } from "../../lib/models/tokenizer_facts.ts";
import { buildGguf, type KV, testModel } from "./_gguf_builder.ts";
import { tempDir } from "../_helpers.ts";

function strings(values: string[]): KV {
  return { type: "array", itemType: "string", items: values.map((value) => ({ type: "string", value })) };
}

/** A model file with a tokenizer: `tokens`, two merges and the special ids given. */
function tokenizerModel(tokens: string[], eos = 2): Uint8Array {
  return buildGguf({
    metadata: {
      "general.architecture": { type: "string", value: "qwen2" },
      "tokenizer.ggml.model": { type: "string", value: "gpt2" },
      "tokenizer.ggml.pre": { type: "string", value: "qwen2" },
      "tokenizer.ggml.tokens": strings(tokens),
      "tokenizer.ggml.merges": strings(["a b", "ab c"]),
      "tokenizer.ggml.bos_token_id": { type: "u32", value: 1 },
      "tokenizer.ggml.eos_token_id": { type: "u32", value: eos },
    },
    tensors: [],
  });
}

async function facts(dir: string, name: string, bytes: Uint8Array): Promise<TokenizerFacts> {
  const path = join(dir, name);
  await Deno.writeFile(path, bytes);
  const read = await readTokenizer(path);
  assert.equal(read.kind, "tokenizer", read.kind === "invalid" ? read.reason : "");
  if (read.kind !== "tokenizer") throw new Error("unreachable");
  return read.facts;
}

const VOCAB = Array.from({ length: 40 }, (_, i) => `t${i}`);

Deno.test("readTokenizer() and compareTokenizers() tell a compatible draft model from another", async (t) => {
  await using dir = await tempDir();
  const main = await facts(dir.path, "main.gguf", tokenizerModel(VOCAB));
  await t.step("the whole vocabulary is read, past the header reader's usual 8 items", () => {
    assert.equal(main.tokenCount, 40);
    assert.equal(main.model, "gpt2");
    assert.equal(main.pre, "qwen2");
    assert.equal(main.eosId, 2);
  });
  await t.step("the same tokenizer in another file matches", async () => {
    const twin = await facts(dir.path, "twin.gguf", tokenizerModel(VOCAB));
    assert.deepEqual(compareTokenizers(main, twin), []);
  });
  await t.step("one token changed past the first eight is found", async () => {
    const changed = VOCAB.map((token, i) => (i === 30 ? "other" : token));
    const draft = await facts(dir.path, "changed.gguf", tokenizerModel(changed));
    assert.deepEqual(compareTokenizers(main, draft), ["the vocabulary's tokens differ"]);
  });
  await t.step("a longer vocabulary and another end token are named", async () => {
    const draft = await facts(dir.path, "longer.gguf", tokenizerModel([...VOCAB, "extra"], 3));
    assert.deepEqual(compareTokenizers(main, draft), [
      "the vocabulary has 41 tokens, not 40",
      "the end token id is 3, not 2",
    ]);
  });
});

Deno.test("readTokenizer() answers invalid for a file that is no GGUF or has no vocabulary", async (t) => {
  await using dir = await tempDir();
  await t.step("not GGUF", async () => {
    const path = join(dir.path, "text.gguf");
    await Deno.writeTextFile(path, "hello, not a model");
    const read = await readTokenizer(path);
    assert.equal(read.kind, "invalid");
    assert.match(read.kind === "invalid" ? read.reason : "", /^not a valid GGUF file: /);
  });
  await t.step("no tokenizer.ggml.tokens", async () => {
    const path = join(dir.path, "bare.gguf");
    await Deno.writeFile(path, buildGguf({ metadata: {}, tensors: [] }));
    assert.deepEqual(await readTokenizer(path), {
      kind: "invalid",
      reason: "it has no vocabulary (tokenizer.ggml.tokens)",
    });
  });
  await t.step("the test model's tokenizer reads", async () => {
    const path = join(dir.path, "test.gguf");
    await Deno.writeFile(path, testModel());
    const read = await readTokenizer(path);
    assert.equal(read.kind === "tokenizer" ? read.facts.tokenCount : 0, 20);
  });
});
