import assert from "node:assert/strict";
import { engineFor, resolveEngine } from "../../../lib/server/engines/select.ts";

Deno.test("resolveEngine() picks mlx only on Apple Silicon with mlx_lm importable", async () => {
  const yes = () => Promise.resolve(true);
  const no = () => Promise.resolve(false);
  assert.equal(await resolveEngine("auto", { os: "darwin", arch: "aarch64", canImportMlx: yes }), "mlx");
  assert.equal(await resolveEngine("auto", { os: "darwin", arch: "aarch64", canImportMlx: no }), "llama.cpp");
  assert.equal(await resolveEngine("auto", { os: "darwin", arch: "x86_64", canImportMlx: yes }), "llama.cpp");
  assert.equal(await resolveEngine("auto", { os: "linux", arch: "aarch64", canImportMlx: yes }), "llama.cpp");
  assert.equal(await resolveEngine("ollama", { canImportMlx: yes }), "ollama");
  if (Deno.build.os !== "darwin") assert.equal(await resolveEngine("auto"), "llama.cpp");
});

Deno.test("engineFor() returns the engine of each name", () => {
  for (const name of ["llama.cpp", "mlx", "ollama", "openai"] as const) {
    assert.equal(engineFor(name).name, name);
  }
});
