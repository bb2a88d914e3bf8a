import assert from "node:assert/strict";
import { defaultCatalog } from "../../lib/models/catalog.ts";
import { type ByteSource, readGgufHeader } from "../../lib/models/gguf_header.ts";
import { modelFacts } from "../../lib/models/model_facts.ts";
import { modelPaths } from "../../lib/models/model_paths.ts";
import { buildGguf, TEST_TEMPLATE, testModel } from "./_gguf_builder.ts";
import { requires } from "../_tier.ts";

/** A source that hands out at most `step` bytes per read, to exercise the reader's refills. */
function trickle(bytes: Uint8Array, step: number): ByteSource & { reads: number } {
  let at = 0;
  return {
    reads: 0,
    read(buffer: Uint8Array) {
      this.reads++;
      if (at >= bytes.length) return Promise.resolve(null);
      const n = Math.min(step, buffer.length, bytes.length - at);
      buffer.set(bytes.subarray(at, at + n));
      at += n;
      return Promise.resolve(n);
    },
  };
}

async function headerOf(bytes: Uint8Array, maxArrayItems?: number) {
  const read = await readGgufHeader(trickle(bytes, 7), { maxArrayItems });
  assert.equal(read.kind, "gguf", read.kind === "invalid" ? read.reason : "");
  if (read.kind !== "gguf") throw new Error("unreachable");
  return read.header;
}

Deno.test("readGgufHeader() reads a hand-built GGUF", async (t) => {
  await t.step("every scalar type, with 64-bit integers as numbers when safe", async () => {
    const header = await headerOf(buildGguf({
      metadata: {
        a_u8: { type: "u8", value: 200 },
        a_i8: { type: "i8", value: -5 },
        a_u16: { type: "u16", value: 65000 },
        a_i16: { type: "i16", value: -300 },
        a_u32: { type: "u32", value: 4_000_000_000 },
        a_i32: { type: "i32", value: -70_000 },
        a_f32: { type: "f32", value: 0.5 },
        a_f64: { type: "f64", value: 1e-6 },
        a_bool: { type: "bool", value: true },
        a_u64: { type: "u64", value: 12_345_678_901n },
        a_u64_big: { type: "u64", value: 2n ** 63n },
        a_i64: { type: "i64", value: -9n },
        a_str: { type: "string", value: "héllo ✓" },
      },
      tensors: [],
    }));
    assert.deepEqual(Object.fromEntries(header.metadata), {
      a_u8: 200,
      a_i8: -5,
      a_u16: 65000,
      a_i16: -300,
      a_u32: 4_000_000_000,
      a_i32: -70_000,
      a_f32: 0.5,
      a_f64: 1e-6,
      a_bool: true,
      a_u64: 12_345_678_901,
      a_u64_big: 2n ** 63n,
      a_i64: -9,
      a_str: "héllo ✓",
    });
    assert.equal(header.version, 3);
    assert.deepEqual(header.tensors, []);
  });

  await t.step("arrays keep their length and only the first maxArrayItems items", async () => {
    const header = await headerOf(testModel(), 3);
    const tokens = header.metadata.get("tokenizer.ggml.tokens");
    assert.deepEqual(tokens, { kind: "array", itemType: 8, length: 20, items: ["tok0", "tok1", "tok2"] });
    assert.equal(header.metadata.get("tokenizer.chat_template"), TEST_TEMPLATE);
  });

  await t.step("wholeArrays keeps the named arrays whole", async () => {
    const read = await readGgufHeader(trickle(testModel(), 7), {
      maxArrayItems: 3,
      wholeArrays: ["tokenizer.ggml.tokens"],
    });
    assert.equal(read.kind, "gguf");
    const tokens = read.kind === "gguf" ? read.header.metadata.get("tokenizer.ggml.tokens") : undefined;
    assert.deepEqual(tokens, {
      kind: "array",
      itemType: 8,
      length: 20,
      items: Array.from({ length: 20 }, (_, i) => `tok${i}`),
    });
  });

  await t.step("fixed-size and nested arrays are skipped past correctly", async () => {
    const ints = Array.from({ length: 1000 }, (_, i) => ({ type: "i32" as const, value: i }));
    const header = await headerOf(
      buildGguf({
        metadata: {
          ints: { type: "array", itemType: "i32", items: ints },
          nested: {
            type: "array",
            itemType: "array",
            items: [{ type: "array", itemType: "u8", items: [{ type: "u8", value: 1 }] }],
          },
          after: { type: "string", value: "still aligned" },
        },
        tensors: [],
      }),
      2,
    );
    assert.deepEqual(header.metadata.get("ints"), {
      kind: "array",
      itemType: 5,
      length: 1000,
      items: [0, 1],
    });
    assert.deepEqual(header.metadata.get("nested"), {
      kind: "array",
      itemType: 9,
      length: 1,
      items: [{ kind: "array", itemType: 0, length: 1, items: [1] }],
    });
    assert.equal(header.metadata.get("after"), "still aligned");
  });

  await t.step("tensor infos, element counts and the aligned data offset", async () => {
    const bytes = testModel({ alignment: 64 });
    const header = await headerOf(bytes);
    assert.deepEqual(header.tensors, [
      { name: "token_embd.weight", shape: [8, 4], type: 0, offset: 0, elements: 32 },
      { name: "blk.0.attn_q.weight", shape: [32, 2], type: 8, offset: 128, elements: 64 },
    ]);
    assert.equal(header.alignment, 64);
    assert.equal(header.dataOffset % 64, 0);
    assert.equal(header.dataOffset + 128 + 68, bytes.length);
  });

  await t.step("reads from a path, not only from a source", async () => {
    const path = await Deno.makeTempFile({ suffix: ".gguf" });
    try {
      await Deno.writeFile(path, testModel());
      const read = await readGgufHeader(path);
      assert.equal(read.kind, "gguf");
      if (read.kind === "gguf") assert.equal(read.header.metadata.get("general.name"), "Tiny Test Coder");
    } finally {
      await Deno.remove(path);
    }
  });
});

Deno.test("readGgufHeader() answers invalid for what is not GGUF v2/v3", async (t) => {
  const cases: [string, Uint8Array, RegExp][] = [
    ["a wrong magic number", new TextEncoder().encode("GGML\x03\0\0\0"), /magic number is 0x4c4d4747/],
    ["version 1", buildGguf({ version: 1, metadata: {}, tensors: [] }), /GGUF version 1 is not supported/],
    ["an empty file", new Uint8Array(0), /ends inside the magic number at byte 0/],
    ["a file cut inside the metadata", testModel().subarray(0, 60), /the file ends inside/],
  ];
  for (const [name, bytes, reason] of cases) {
    await t.step(name, async () => {
      const read = await readGgufHeader(trickle(bytes, 1 << 20));
      assert.equal(read.kind, "invalid");
      if (read.kind === "invalid") assert.match(read.reason, reason);
    });
  }

  await t.step("an unknown value type", async () => {
    const bytes = buildGguf({ metadata: { k: { type: "u8", value: 1 } }, tensors: [] });
    const view = new DataView(bytes.buffer);
    view.setUint32(24 + 8 + 1, 99, true); // the type after the 1-byte key "k"
    const read = await readGgufHeader(trickle(bytes, 1 << 20));
    assert.deepEqual(read.kind === "invalid" && read.reason, "k has unknown value type 99");
  });

  await t.step("a missing file is a file-system error, not invalid", async () => {
    await assert.rejects(readGgufHeader("/nonexistent/model.gguf"), Deno.errors.NotFound);
  });
});

const realModel = defaultCatalog().models.find((m) => m.name === defaultCatalog().default)!;
const realPath = modelPaths(realModel.name).file;
const realCached = await Deno.stat(realPath).then(() => true, () => false);
const REAL_MODEL = requires("offline model");

Deno.test({
  name: `readGgufHeader() reads the real cached ${realModel.name} (ignored unless fetched)`,
  ignore: REAL_MODEL.ignore || !realCached,
  fn: async () => {
    const started = performance.now();
    const read = await readGgufHeader(realPath);
    assert.equal(read.kind, "gguf");
    if (read.kind !== "gguf") return;
    const facts = modelFacts(read.header);
    const expected = realModel.gguf;
    assert.equal(facts.architecture, expected.architecture);
    assert.equal(facts.name, expected.name);
    assert.equal(facts.tensorCount, expected.tensorCount);
    assert.equal(facts.parameterCount, expected.parameterCount);
    assert.equal(facts.quantization, expected.quantization);
    assert.deepEqual(facts.tensorTypes, expected.tensorTypes);
    assert.equal(facts.chatTemplateSha256, expected.chatTemplateSha256);
    assert.equal(facts.minimumFileSize, realModel.file.size);
    assert.ok(performance.now() - started < 10_000, "the header alone is read quickly");
  },
});
