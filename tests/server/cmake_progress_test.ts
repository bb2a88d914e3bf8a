import assert from "node:assert/strict";
import { buildProgressTracker, parseBuildLine } from "../../lib/server/cmake_progress.ts";

Deno.test("parseBuildLine() reads Makefile and Ninja progress", async (t) => {
  await t.step("Makefile percentage", () => {
    assert.deepEqual(parseBuildLine("[ 40%] Building CXX object src/CMakeFiles/llama.dir/llama.cpp.o"), {
      percent: 40,
      message: "Building CXX object src/CMakeFiles/llama.dir/llama.cpp.o",
    });
    assert.deepEqual(parseBuildLine("[100%] Built target llama-server"), {
      percent: 100,
      message: "Built target llama-server",
    });
    assert.deepEqual(parseBuildLine("[  2%] Built target vendor-hash")?.percent, 2);
  });
  await t.step("Ninja counters become percentages", () => {
    assert.deepEqual(parseBuildLine("[12/48] Building C object ggml/src/ggml.c.o"), {
      percent: 25,
      message: "Building C object ggml/src/ggml.c.o",
    });
  });
  await t.step("lines without progress give undefined", () => {
    assert.equal(parseBuildLine("-- Found Git: /usr/bin/git"), undefined);
    assert.equal(parseBuildLine("In file included from ggml.c:1:"), undefined);
    assert.equal(parseBuildLine("[101%] nonsense"), undefined);
    assert.equal(parseBuildLine("[5/0] nonsense"), undefined);
    assert.equal(parseBuildLine(""), undefined);
  });
});

Deno.test("buildProgressTracker() never reports going backwards", () => {
  const track = buildProgressTracker();
  const seen = [
    "[ 10%] a",
    "warning: unused variable",
    "[  9%] b",
    "[ 12%] c",
  ].map((line) => track(line)?.percent);
  assert.deepEqual(seen, [10, undefined, 10, 12]);
});
