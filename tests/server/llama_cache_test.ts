import assert from "node:assert/strict";
import { findLlamaServer, readBuildInfo, writeBuildInfo } from "../../lib/server/llama_cache.ts";
import { llamaPaths } from "../../lib/server/paths.ts";

async function fakeExecutable(path: string): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, "#!/bin/sh\n");
  await Deno.chmod(path, 0o755);
}

const noPath = () => Promise.resolve(undefined);
const info = (binary: string) => ({
  nodeLlamaCppVersion: "3.22.1",
  tag: "v0.5.0",
  builtAt: "2026-11-24T10:00:00.000Z",
  buildMs: 368_000,
  binary,
});

Deno.test("findLlamaServer() prefers a configured path, then PATH, then a finished cached build", async (t) => {
  const root = await Deno.makeTempDir();
  const paths = llamaPaths(root, "3.22.1");
  try {
    await t.step("nothing anywhere: missing, not built yet", async () => {
      const found = await findLlamaServer({ root, which: noPath });
      assert.equal(found.kind, "missing");
      assert.match(found.kind === "missing" ? found.reason : "", /not built yet/);
    });
    await t.step("a binary without build-info.json is an unfinished build, never used", async () => {
      await fakeExecutable(paths.binary);
      const found = await findLlamaServer({ root, which: noPath });
      assert.equal(found.kind, "missing");
      assert.match(found.kind === "missing" ? found.reason : "", /did not finish/);
    });
    await t.step("a finished build is found in the cache with its info", async () => {
      await writeBuildInfo(paths, info(paths.binary));
      const found = await findLlamaServer({ root, which: noPath });
      assert.equal(found.kind, "found");
      assert.equal(found.kind === "found" && found.source, "cache");
      assert.equal(found.kind === "found" && found.path, paths.binary);
      assert.equal(found.kind === "found" && found.build?.tag, "v0.5.0");
    });
    await t.step("PATH wins over the cache", async () => {
      const found = await findLlamaServer({ root, which: (p) => Promise.resolve(`/opt/bin/${p}`) });
      assert.deepEqual(found, { kind: "found", path: "/opt/bin/llama-server", source: "path" });
    });
    await t.step("a configured path wins over everything", async () => {
      const configured = `${root}/custom/llama-server`;
      await fakeExecutable(configured);
      const found = await findLlamaServer({
        root,
        binary: configured,
        which: (p) => Promise.resolve(`/x/${p}`),
      });
      assert.deepEqual(found, { kind: "found", path: configured, source: "configured" });
    });
    await t.step("a configured path that does not exist is missing, marked as configured", async () => {
      const found = await findLlamaServer({ root, binary: `${root}/nope`, which: noPath });
      assert.equal(found.kind, "missing");
      assert.equal(found.kind === "missing" && found.configured, `${root}/nope`);
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("readBuildInfo() ignores an invalid info file", async () => {
  const root = await Deno.makeTempDir();
  const paths = llamaPaths(root);
  try {
    await Deno.mkdir(paths.dir, { recursive: true });
    await Deno.writeTextFile(paths.info, '{"builtAt": 3}');
    assert.equal(await readBuildInfo(paths), undefined);
    await Deno.writeTextFile(paths.info, "not json");
    assert.equal(await readBuildInfo(paths), undefined);
    await writeBuildInfo(paths, info(paths.binary));
    assert.equal((await readBuildInfo(paths))?.buildMs, 368_000);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
