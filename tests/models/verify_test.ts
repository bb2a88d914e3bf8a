import assert from "node:assert/strict";
import { compareFacts, sha256File, verifyModelFile } from "../../lib/models/verify.ts";
import { modelFacts } from "../../lib/models/model_facts.ts";
import { readGgufHeader } from "../../lib/models/gguf_header.ts";
import { buildGguf, testModel } from "./_gguf_builder.ts";
import { makeFakeModel, sha256 } from "./_fake_wheels.ts";
import { requires } from "../_tier.ts";

const PYTHON = requires("python3");

async function fixture() {
  const dir = await Deno.makeTempDir({ prefix: "factory-verify-test-" });
  const { model } = await makeFakeModel(dir, 1);
  const path = `${dir}/model.gguf`;
  await Deno.writeFile(path, testModel());
  return { dir, path, model, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

Deno.test("verifyModelFile() accepts exactly the catalog's file", PYTHON, async (t) => {
  await using f = await fixture();

  await t.step("verified, with the sha256 and the header's facts", async () => {
    const result = await verifyModelFile(f.path, f.model);
    assert.equal(result.kind, "verified");
    if (result.kind !== "verified") return;
    assert.equal(result.sha256, sha256(testModel()));
    assert.equal(result.facts.architecture, "qwen2");
    assert.equal(result.facts.parameterCount, 96);
    assert.equal(result.facts.quantization, "Q4_K_M");
  });

  await t.step("hash: false checks size and header only", async () => {
    const result = await verifyModelFile(f.path, f.model, { hash: false });
    assert.deepEqual(result.kind === "verified" && result.sha256, undefined);
  });

  await t.step("missing and non-file paths", async () => {
    assert.deepEqual(await verifyModelFile(`${f.dir}/absent.gguf`, f.model), { kind: "missing" });
    assert.deepEqual(await verifyModelFile(f.dir, f.model), {
      kind: "mismatch",
      problems: [`${f.dir} is not a regular file`],
    });
  });
});

Deno.test("verifyModelFile() names every difference", PYTHON, async (t) => {
  await using f = await fixture();

  await t.step("a file that is not GGUF", async () => {
    await Deno.writeTextFile(f.path, "<html>rate limited</html>");
    const result = await verifyModelFile(f.path, f.model);
    assert.equal(result.kind, "mismatch");
    if (result.kind !== "mismatch") return;
    assert.match(result.problems[0], /^not a valid GGUF file: the magic number is 0x[0-9a-f]+, not "GGUF"$/);
    assert.match(result.problems[1], /^the size is 25 bytes, expected \d+$/);
  });

  await t.step("a file whose tensor data is cut short", async () => {
    const full = testModel();
    await Deno.writeFile(f.path, full.subarray(0, full.length - 50));
    const result = await verifyModelFile(f.path, f.model);
    assert.deepEqual(result.kind === "mismatch" && result.problems, [
      `the size is ${full.length - 50} bytes, expected ${full.length}`,
      `the tensor data needs ${full.length} bytes but the file has ${full.length - 50}`,
    ]);
  });

  await t.step("same size, one byte changed: only the sha256 tells", async () => {
    const changed = testModel({ fill: 1 });
    await Deno.writeFile(f.path, changed);
    const result = await verifyModelFile(f.path, f.model);
    assert.deepEqual(result.kind === "mismatch" && result.problems, [
      `sha256 is ${sha256(changed)}, expected ${f.model.file.sha256}`,
    ]);
  });
});

Deno.test("compareFacts() lists each field that differs", PYTHON, async () => {
  const model = buildGguf({
    metadata: {
      "general.architecture": { type: "string", value: "gemma3" },
      "general.name": { type: "string", value: "Gemma 3 270m" },
      "general.file_type": { type: "u32", value: 7 },
    },
    tensors: [{ name: "w", shape: [32], type: 8, bytes: 34 }],
  });
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/gemma.gguf`, model);
    const read = await readGgufHeader(`${dir}/gemma.gguf`);
    assert.equal(read.kind, "gguf");
    if (read.kind !== "gguf") return;
    const { model: expected } = await makeFakeModel(dir, 1);
    assert.deepEqual(compareFacts(modelFacts(read.header), expected.gguf), [
      'general.architecture is "gemma3", expected "qwen2"',
      'general.name is "Gemma 3 270m", expected "Tiny Test Coder"',
      "the tensor count is 1, expected 2",
      "the parameter count is 32, expected 96",
      "general.file_type is 7, expected 15",
      "gemma3.context_length is missing, expected 64",
      "the tensor types are Q8_0×1, expected F32×1 Q8_0×1",
      "there is no chat template (tokenizer.chat_template)",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sha256File() hashes across chunk boundaries", async () => {
  const path = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(path, "abc");
    assert.equal(await sha256File(path), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const big = new Uint8Array((4 << 20) + 123).map((_, i) => i % 251);
    await Deno.writeFile(path, big);
    const seen: number[] = [];
    assert.equal(await sha256File(path, { onBytes: (n) => seen.push(n) }), sha256(big));
    assert.deepEqual(seen, [4 << 20, (4 << 20) + 123]);
  } finally {
    await Deno.remove(path);
  }
});
