import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors.ts";
import { defaultCatalog, draftModelOf, findModel, parseCatalog } from "../../lib/models/catalog.ts";

Deno.test("defaultCatalog() validates the shipped models/catalog.json", () => {
  const catalog = defaultCatalog();
  const chosen = findModel(catalog, catalog.default);
  assert.equal(chosen.gguf.architecture, "qwen2");
  for (const model of catalog.models) {
    const chunkBytes = model.parts.reduce((sum, p) => sum + p.memberSize, 0);
    assert.equal(chunkBytes, model.file.size, `${model.name}: the chunks add up to the file`);
    const packages = model.parts.map((p) => p.package);
    assert.equal(new Set(packages).size, packages.length, `${model.name}: no package listed twice`);
    assert.ok(model.gguf.chatTemplateSha256, `${model.name}: has a chat template`);
  }
});

Deno.test("parseCatalog() refuses a malformed catalog with a ConfigError", async (t) => {
  const good = structuredClone(defaultCatalog());

  await t.step("a wheel sha256 that is not 64 hex digits", () => {
    const bad = structuredClone(good);
    bad.models[0].parts[0].wheelSha256 = "ABC";
    assert.throws(
      () => parseCatalog(bad, "x.json"),
      new ConfigError(
        "Invalid model catalog x.json: models.0.parts.0.wheelSha256 must be 64 lowercase hex digits",
      ),
    );
  });

  await t.step("chunks that do not add up to the file size", () => {
    const bad = structuredClone(good);
    bad.models[0].file.size += 1;
    assert.throws(
      () => parseCatalog(bad),
      (e) => e instanceof ConfigError && /the parts hold \d+ bytes/.test(e.message),
    );
  });

  await t.step("a default that names no model", () => {
    assert.throws(
      () => parseCatalog({ ...good, default: "nope" }),
      new ConfigError("Invalid model catalog models/catalog.json: default names no model: nope"),
    );
  });

  await t.step("a draft that names no other model", () => {
    const unknown = structuredClone(good);
    unknown.models[0].draft = "nope";
    assert.throws(
      () => parseCatalog(unknown),
      new ConfigError("Invalid model catalog models/catalog.json: models.0.draft names no other model: nope"),
    );
    const itself = structuredClone(good);
    itself.models[0].draft = itself.models[0].name;
    assert.throws(() => parseCatalog(itself), ConfigError);
  });

  await t.step("a member path that climbs out of the unpack folder", () => {
    const bad = structuredClone(good);
    bad.models[0].parts[0].member = "pkg/../../etc/passwd";
    assert.throws(() => parseCatalog(bad), ConfigError);
  });
});

Deno.test("findModel() names the known models when asked for an unknown one", () => {
  const catalog = defaultCatalog();
  assert.throws(
    () => findModel(catalog, "llama-70b"),
    new ConfigError(
      `Unknown model "llama-70b": the catalog lists ${catalog.models.map((m) => m.name).join(", ")}`,
    ),
  );
});

Deno.test("draftModelOf() gives the default model's small sibling of the same family", () => {
  const catalog = defaultCatalog();
  const main = findModel(catalog, catalog.default);
  const draft = draftModelOf(catalog, catalog.default);
  assert.ok(draft, "the default model has a draft model");
  assert.equal(draft.gguf.architecture, main.gguf.architecture);
  assert.ok(draft.gguf.parameterCount < main.gguf.parameterCount / 2, "the draft is much smaller");
  assert.equal(draftModelOf(catalog, draft.name), undefined, "the small model has no draft of its own");
});
