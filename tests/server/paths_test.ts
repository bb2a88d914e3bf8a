import assert from "node:assert/strict";
import { basename, dirname, join } from "node:path";
import { cacheRoot } from "../../lib/host/cache_paths.ts";
import { llamaPaths } from "../../lib/server/paths.ts";

Deno.test("cacheRoot() uses XDG_CACHE_HOME, then HOME", async (t) => {
  await t.step("XDG_CACHE_HOME", () => {
    const env = (name: string) => ({ XDG_CACHE_HOME: "/x/cache", HOME: "/home/u" })[name];
    assert.equal(cacheRoot(env), "/x/cache/factory");
  });
  await t.step("HOME", () => {
    assert.equal(cacheRoot((name) => name === "HOME" ? "/home/u" : undefined), "/home/u/.cache/factory");
  });
  await t.step("neither is a TypeError", () => {
    assert.throws(() => cacheRoot(() => undefined), TypeError);
  });
});

Deno.test("llamaPaths() lays out a build by node-llama-cpp version", () => {
  const paths = llamaPaths("/c/factory", "3.22.1");
  assert.equal(paths.src, "/c/factory/llama.cpp/3.22.1/src");
  assert.equal(paths.binary, "/c/factory/llama.cpp/3.22.1/src/build/bin/llama-server");
  assert.equal(paths.log, "/c/factory/llama.cpp/3.22.1/build.log");
  assert.equal(paths.info, "/c/factory/llama.cpp/3.22.1/build-info.json");
});

Deno.test("join(), basename() and dirname() handle slashes", () => {
  assert.equal(join("/a/", "b", "", "c"), "/a/b/c");
  assert.equal(basename("/a/b/c.gguf"), "c.gguf");
  assert.equal(dirname("/a/b/c.gguf"), "/a/b");
  assert.equal(dirname("/c"), "/");
  assert.equal(dirname("c"), ".");
});
