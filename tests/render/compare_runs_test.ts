import assert from "node:assert/strict";
import { compareRuns, comparisonRow } from "../../lib/render/compare_runs.ts";
import { summaryOf } from "../../lib/store/summary.ts";
import { JUPYTER_DISPLAY } from "../../lib/render/bundles.ts";
import type { RunResult } from "../../lib/types.ts";
import { tempDir } from "../_helpers.ts";
import { hostileRun } from "./_hostile_run.ts";

function failedCopy(result: RunResult): RunResult {
  return {
    ...result,
    runId: "20990101-000000-<b>x</b>-0000",
    status: "failed",
    stopReason: "max_attempts",
    attempts: result.attempts.slice(0, 1),
  };
}

Deno.test("comparisonRow() takes what a run's summary says", async () => {
  await using out = await tempDir();
  const { result } = await hostileRun(out.path);
  assert.deepEqual(comparisonRow(summaryOf(result)), {
    runId: result.runId,
    task: "hostile",
    model: undefined,
    status: "passed",
    stopReason: "passed",
    attempts: 2,
    passedOnAttempt: 2,
    overruled: 1,
    tokens: 600,
    totalMs: result.durations.totalMs,
    modelMs: result.durations.modelMs,
    execMs: result.durations.execMs,
  });
});

Deno.test("compareRuns() shows one row per run in order, in three formats", async (t) => {
  await using out = await tempDir();
  const { result } = await hostileRun(out.path);
  const bundle = compareRuns([result, failedCopy(result)].map(summaryOf))[JUPYTER_DISPLAY]();
  await t.step("plain text lines up under the header", () => {
    const lines = bundle["text/plain"].split("\n");
    assert.equal(lines.length, 3);
    assert.match(
      lines[0],
      /^run\s+task\s+model\s+status\s+stop\s+attempts\s+passed on\s+overruled\s+tokens\s+time\s+model time\s+program time$/,
    );
    assert.match(lines[1], /hostile\s+—\s+passed\s+passed\s+2\s+#2\s+1\s+600/);
    assert.match(lines[2], /hostile\s+—\s+failed\s+max_attempts\s+1\s+—\s+1\s+600/);
    const column = lines[0].indexOf("task");
    assert.equal(lines[1].indexOf("hostile", column), column);
  });
  await t.step("HTML: status badges, escaped ids, a time chart", () => {
    const html = bundle["text/html"];
    assert.match(html, /<h4>2 runs<\/h4>/);
    assert.match(html, /fx-pass">passed</);
    assert.match(html, /fx-fail">failed</);
    assert.match(html, /&lt;b&gt;x&lt;\/b&gt;/);
    assert.doesNotMatch(html, /<b>x<\/b>/);
    assert.match(html, /<title>Total time per run<\/title>/);
  });
  await t.step("Markdown table", () => {
    const lines = bundle["text/markdown"].split("\n");
    assert.match(lines[0], /^\| run \| task \| model \| status \|/);
    assert.equal(lines.length, 4);
  });
  await t.step("no runs: just the header", () => {
    assert.equal(compareRuns([])[JUPYTER_DISPLAY]()["text/plain"].split("\n").length, 1);
  });
});

Deno.test("compareRuns() names the model each run recorded", async () => {
  await using out = await tempDir();
  const { result } = await hostileRun(out.path);
  const provenance = {
    engine: "llama.cpp",
    serverUrl: "http://127.0.0.1:8080/v1",
    factoryVersion: "0.1.0",
    sandbox: "bubblewrap" as const,
  };
  const runs = [
    {
      ...result,
      provenance: { ...provenance, model: "/cache/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf" },
    },
    { ...failedCopy(result), provenance: { ...provenance, model: "qwen2.5-coder:7b" } },
  ];
  assert.equal(comparisonRow(summaryOf(runs[0])).model, runs[0].provenance.model);
  const lines = compareRuns(runs.map(summaryOf))[JUPYTER_DISPLAY]()["text/plain"].split("\n");
  assert.match(lines[1], /hostile\s+qwen2\.5-coder-1\.5b-instruct-q4_k_m\s+passed/);
  assert.match(lines[2], /hostile\s+qwen2\.5-coder:7b\s+failed/);
});
