/** What ran a run, recorded in its directory (run.json, summary.json) with paths relative to it. */
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { runTask } from "../../lib/orchestrator/run_task.ts";
import { readRun } from "../../lib/store/read_run.ts";
import { RunRecord, SummaryRecord } from "../../lib/store/run_schema.ts";
import type { RunProvenance } from "../../lib/types.ts";
import { coderReply, fakeClock, fakeExecutor, scriptedModel, sheriffReply } from "../_fakes.ts";
import { pyTask, tempDir, testLimits } from "../_helpers.ts";

const PROVENANCE: RunProvenance = {
  model: "/cache/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
  engine: "llama.cpp",
  serverUrl: "http://127.0.0.1:8080/v1",
  factoryVersion: "0.1.0",
  sandbox: "bubblewrap",
};

async function readJson(path: string) {
  return JSON.parse(await Deno.readTextFile(path));
}

Deno.test("runTask() records what ran it, when, and its limits", async (t) => {
  await using out = await tempDir();
  const clock = fakeClock(Date.UTC(2026, 11, 4, 10, 0, 0));
  const limits = testLimits({ maxAttempts: 2 });
  const model = scriptedModel([coderReply("print(1)"), sheriffReply("PASS")]);
  const result = await runTask(pyTask(), {
    model,
    limits,
    executor: fakeExecutor([{ stdout: "1\n", ms: 30 }]),
    outDir: out.path,
    now: () => {
      clock.advance(1_000);
      return clock.now();
    },
    provenance: PROVENANCE,
  });
  const dir = result.dir!;
  await t.step("run.json: written before the first attempt", async () => {
    const run = RunRecord.parse(await readJson(join(dir, "run.json")));
    assert.deepEqual(run, {
      runId: result.runId,
      startedAt: result.startedAt,
      limits,
      provenance: PROVENANCE,
    });
  });
  await t.step("summary.json: provenance, start and end, limits, a relative final script", async () => {
    const summary = SummaryRecord.parse(await readJson(join(dir, "summary.json")));
    assert.deepEqual(summary.provenance, PROVENANCE);
    assert.deepEqual(summary.limits, limits);
    assert.equal(summary.startedAt, "2026-12-04T10:00:01.000Z");
    assert.ok(Date.parse(summary.endedAt!) > Date.parse(summary.startedAt!));
    assert.equal(summary.finalScript, join("attempt-1", "script.py"));
  });
  await t.step("result.json: the work dir relative to the run directory", async () => {
    const record = await readJson(join(dir, "attempt-1", "result.json"));
    assert.equal(record.workDir, join("attempt-1", "work"));
  });
  await t.step("the result and the run_start event carry it too", () => {
    assert.deepEqual(result.provenance, PROVENANCE);
    assert.deepEqual(result.limits, limits);
  });
});

Deno.test("readRun() reads a run's paths from anywhere", async () => {
  await using out = await tempDir();
  const relativeOut = join("runs", `provenance-test-${crypto.randomUUID().slice(0, 8)}`);
  try {
    const result = await runTask(pyTask(), {
      model: scriptedModel([coderReply("print(1)"), sheriffReply("PASS")]),
      limits: testLimits(),
      executor: fakeExecutor([{ stdout: "1\n" }]),
      outDir: relativeOut,
      provenance: PROVENANCE,
    });
    const moved = join(out.path, result.runId);
    await Deno.rename(result.dir!, moved);
    const stored = await readRun(moved);
    assert.equal(stored.result.finalScript, join(moved, "attempt-1", "script.py"));
    assert.equal((await Deno.readTextFile(stored.result.finalScript!)).trim(), "print(1)");
    assert.equal(stored.result.attempts[0].workDir, join(moved, "attempt-1", "work"));
    assert.deepEqual(stored.result.provenance, PROVENANCE);
    assert.equal(resolve(stored.result.dir!), resolve(moved));
  } finally {
    await Deno.remove(relativeOut, { recursive: true }).catch(() => {});
  }
});

Deno.test("readRun() of an unfinished run takes what ran it from run.json", async () => {
  await using out = await tempDir();
  const result = await runTask(pyTask(), {
    model: scriptedModel([coderReply("print(1)"), sheriffReply("PASS")]),
    limits: testLimits(),
    executor: fakeExecutor([{ stdout: "1\n" }]),
    outDir: out.path,
    provenance: PROVENANCE,
  });
  await Deno.remove(join(result.dir!, "summary.json"));
  const stored = await readRun(result.dir!);
  assert.equal(stored.result.status, "interrupted");
  assert.deepEqual(stored.result.provenance, PROVENANCE);
  assert.equal(stored.result.startedAt, result.startedAt);
});
