import assert from "node:assert/strict";
import { join } from "node:path";
import { RunStore } from "../../lib/store/run_dir.ts";
import { readRun } from "../../lib/store/read_run.ts";
import {
  ATTEMPT_FILES,
  attemptNumberOf,
  AttemptRecord,
  parseTranscriptLine,
  RUN_FILES,
  scriptName,
  SummaryRecord,
  TaskRecord,
} from "../../lib/store/run_schema.ts";
import type { Attempt, ModelReply, RunResult } from "../../lib/types.ts";
import { pyTask, tempDir } from "../_helpers.ts";
import { hostileRun } from "../render/_hostile_run.ts";

const REPLY: ModelReply = {
  text: "```python\nprint('cut",
  finishReason: "length",
  usage: { promptTokens: 50, completionTokens: 9, cachedTokens: 0, estimated: false },
  ms: 120,
};

const CUT_OFF: Attempt = {
  number: 1,
  draft: { kind: "truncated", partial: "print('cut", reply: REPLY },
  checks: [],
  sheriff: { kind: "skipped", reason: "no program to review" },
  verdict: { passed: false, overruled: false, reasons: ["The reply was cut off"] },
  workDir: "/w",
  ms: 130,
};

Deno.test("run_schema: every file the writer wrote parses with the reader's schema", async () => {
  await using out = await tempDir();
  const { result } = await hostileRun(out.path);
  const dir = result.dir!;
  const json = async (...path: string[]) => JSON.parse(await Deno.readTextFile(join(dir, ...path)));
  assert.deepEqual(TaskRecord.parse(await json(RUN_FILES.task)), result.task);
  assert.equal(SummaryRecord.parse(await json(RUN_FILES.summary)).runId, result.runId);
  for (const attempt of result.attempts) {
    const record = AttemptRecord.parse(await json(`attempt-${attempt.number}`, ATTEMPT_FILES.result));
    assert.equal(record.number, attempt.number);
  }
  const lines = (await Deno.readTextFile(join(dir, RUN_FILES.transcript))).trimEnd().split("\n");
  assert.ok(lines.length > 0);
  for (const line of lines) assert.ok(parseTranscriptLine(JSON.parse(line)), line.slice(0, 80));
});

Deno.test("run_schema: a cut-off draft keeps its partial program in result.json", async () => {
  await using out = await tempDir();
  const task = pyTask({ name: "cut" });
  const result: RunResult = {
    runId: "20990101-000000-cut-0000",
    task,
    status: "failed",
    stopReason: "max_attempts",
    stopDetail: "Gave up",
    attempts: [CUT_OFF],
    tokens: { prompt: 50, completion: 9, cached: 0, estimated: false },
    durations: { totalMs: 130, modelMs: 120, execMs: 0, orchestrationMs: 10 },
  };
  {
    await using store = await RunStore.create(out.path, result.runId, task);
    await store.writeAttempt(CUT_OFF);
    await store.finish(result);
  }
  const dir = join(out.path, result.runId);
  const record = JSON.parse(await Deno.readTextFile(join(dir, "attempt-1", ATTEMPT_FILES.result)));
  assert.equal(record.draft.partial, "print('cut");
  await Deno.remove(join(dir, RUN_FILES.transcript));
  const stored = await readRun(dir);
  assert.deepEqual(stored.result.attempts[0].draft, CUT_OFF.draft);
});

Deno.test("TaskRecord reads a task as written, filling what older files left out", async (t) => {
  await t.step("defaults", () => {
    assert.deepEqual(TaskRecord.parse({ name: "a", description: "b" }), {
      name: "a",
      description: "b",
      constraints: [],
      language: "python",
      checks: {},
    });
  });
  await t.step("an unknown language reads as Python", () => {
    assert.equal(TaskRecord.parse({ name: "a", description: "b", language: "cobol" }).language, "python");
    assert.equal(
      TaskRecord.parse({ name: "a", description: "b", language: "typescript" }).language,
      "typescript",
    );
  });
  await t.step("a task without a description does not fit", () => {
    assert.equal(TaskRecord.safeParse({ name: "a" }).success, false);
  });
});

Deno.test("run_schema names: attempt folders and scripts", () => {
  assert.equal(attemptNumberOf("attempt-12"), 12);
  assert.equal(attemptNumberOf("attempt-x"), undefined);
  assert.equal(attemptNumberOf("work"), undefined);
  assert.equal(scriptName("python"), "script.py");
  assert.equal(scriptName("typescript"), "script.ts");
});

Deno.test("parseTranscriptLine() checks model calls field by field", () => {
  const call = {
    at: "2026-01-01T00:00:00.000Z",
    kind: "model_call",
    attempt: 1,
    persona: "coder",
    messages: [{ role: "user", content: "hi" }],
    reply: REPLY,
  };
  assert.deepEqual(parseTranscriptLine(call), call);
  const timings = { prefillMs: 10, decodeMs: 900, draftTokens: 120, draftAccepted: 96 };
  const speculated = { ...call, reply: { ...REPLY, timings } };
  assert.deepEqual(parseTranscriptLine(speculated), speculated, "speculation's acceptance figures are kept");
  assert.equal(parseTranscriptLine({ ...call, messages: "hi" }), undefined);
  assert.equal(parseTranscriptLine({ kind: "coder_start", attempt: 1 })?.kind, "coder_start");
  assert.equal(parseTranscriptLine([1]), undefined);
  assert.equal(parseTranscriptLine({ no: "kind" }), undefined);
});
