import assert from "node:assert/strict";
import { join } from "node:path";
import { loadBenchResults } from "../../lib/bench/bench_view.ts";
import { JUPYTER_DISPLAY } from "../../lib/render/bundles.ts";
import { ConfigError } from "../../lib/errors.ts";
import { tempDir } from "../_helpers.ts";
import { ESCAPED, HOSTILE } from "../render/_hostile_run.ts";
import { benchLine } from "./_bench_lines.ts";

async function resultsFile(dir: string, lines: string[]): Promise<string> {
  const path = join(dir, "results.jsonl");
  await Deno.writeTextFile(path, lines.join("\n") + "\n\n");
  return path;
}

Deno.test("loadBenchResults() shows arms, pass rates, time and tasks", async (t) => {
  await using dir = await tempDir();
  const path = await resultsFile(dir.path, [
    benchLine("11", "single", false, 1),
    benchLine("11", "loop", true, 2),
    benchLine(`12${HOSTILE}`, "single", true, 1),
    benchLine(`12${HOSTILE}`, "loop", false, 3, true),
    JSON.stringify({
      ...JSON.parse(benchLine("13", "loop", false, 0)),
      status: "error",
      stopReason: "model_error",
    }),
  ]);
  const bench = await loadBenchResults(path);
  assert.equal(bench.size, 5);
  await t.step("by arm: one row per arm in report order, with pass rate and false claims", () => {
    const b = bench.byArm()[JUPYTER_DISPLAY]();
    const lines = b["text/plain"].split("\n");
    assert.match(lines[0], /^arm\s+tasks\s+passed\s+pass rate/);
    assert.match(lines[1], /^single\s+2\s+1\s+50%\s+1\.00/);
    assert.match(lines[2], /^loop\s+3\s+1\s+33%\s+1\.67\s+6\.0 s\s+1\s+4\/5\s+1$/);
    assert.match(b["text/html"], /<title>Pass rate by arm/);
    assert.match(b["text/html"], /<title>Mean time per task, arm loop<\/title>/);
    assert.match(b["text/markdown"], /^\| arm \| tasks \|/);
  });
  await t.step("by task: a mark and the attempts per arm, false claims said", () => {
    const b = bench.byTask()[JUPYTER_DISPLAY]();
    assert.match(b["text/plain"], /mbpp\/11\s+✗ 1 att\.\s+✓ 2 att\./);
    assert.match(b["text/plain"], /✗ 3 att\. \(false claim\)/);
    assert.match(b["text/plain"], /mbpp\/13\s+–\s+✗ error: model_error/, "a run that failed says why");
  });
  await t.step("the whole view has both, and hostile text only escaped", () => {
    const html = bench[JUPYTER_DISPLAY]()["text/html"];
    assert.ok(!html.includes(HOSTILE));
    assert.ok(html.includes(ESCAPED));
    assert.match(html, /By task/);
  });
});

Deno.test("loadBenchResults() finds results.jsonl in a directory, or the newest of its directories", async () => {
  await using dir = await tempDir();
  for (const [name, taskId] of [["2026-01-01-mbpp", "old"], ["2026-02-01-mbpp", "new"]]) {
    await Deno.mkdir(join(dir.path, name));
    await resultsFile(join(dir.path, name), [benchLine(taskId, "loop", true, 1)]);
  }
  await Deno.mkdir(join(dir.path, "2026-03-01-empty"));
  const newest = await loadBenchResults(dir.path);
  assert.match(newest.byTask()[JUPYTER_DISPLAY]()["text/plain"], /mbpp\/new/);
  const direct = await loadBenchResults(join(dir.path, "2026-01-01-mbpp"));
  assert.match(direct.byTask()[JUPYTER_DISPLAY]()["text/plain"], /mbpp\/old/);
});

Deno.test("loadBenchResults() says what is wrong with a missing or broken file", async (t) => {
  await using dir = await tempDir();
  await t.step("missing", async () => {
    await assert.rejects(loadBenchResults(join(dir.path, "none.jsonl")), (e) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /^Cannot read benchmark results .*none\.jsonl: /);
      return true;
    });
  });
  await t.step("a directory without results", async () => {
    await assert.rejects(loadBenchResults(dir.path), {
      name: "ConfigError",
      message: /no results\.jsonl in it$/,
    });
  });
  await t.step("a line that is not JSON", async () => {
    const path = await resultsFile(dir.path, [benchLine("1", "loop", true, 1), "{oops"]);
    await assert.rejects(loadBenchResults(path), ConfigError);
  });
});

Deno.test("loadBenchResults() of a --speculative run shows each speed arm apart", async () => {
  await using dir = await tempDir();
  const speed = (label: string, passed: boolean, attempts: number) =>
    JSON.stringify({ ...JSON.parse(benchLine("11", "loop+checks", passed, attempts)), speculative: label });
  const path = await resultsFile(dir.path, [
    speed("off", true, 2),
    speed("ngram", true, 2),
    speed("draft", false, 3),
  ]);
  const lines = (await loadBenchResults(path)).byArm()[JUPYTER_DISPLAY]()["text/plain"].split("\n");
  assert.match(lines[1], /^loop\+checks · off\s+1\s+1\s+100%/);
  assert.match(lines[2], /^loop\+checks · ngram\s+1\s+1\s+100%/);
  assert.match(lines[3], /^loop\+checks · draft\s+1\s+0\s+0%/);
});
