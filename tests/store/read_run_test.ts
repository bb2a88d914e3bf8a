import assert from "node:assert/strict";
import { join } from "node:path";
import { readRun, readRuns } from "../../lib/store/read_run.ts";
import { latestRunDir, listRuns } from "../../lib/store/list_runs.ts";
import { ConfigError } from "../../lib/errors.ts";
import type { RunEvent } from "../../lib/types.ts";
import { tempDir } from "../_helpers.ts";
import { hostileRun } from "../render/_hostile_run.ts";

/** The events as the transcript keeps them: no streamed tokens, JSON round-tripped. */
function asLogged(events: readonly RunEvent[]): unknown[] {
  const kept = events.filter((e) => e.kind !== "coder_token" && e.kind !== "sheriff_token");
  return JSON.parse(JSON.stringify(kept));
}

Deno.test("readRun() reads a run back as it happened, as plain data", async (t) => {
  await using out = await tempDir();
  const { result, events } = await hostileRun(out.path);
  const stored = await readRun(result.dir!);
  await t.step("the outcome and totals", () => {
    assert.deepEqual(stored.notes, []);
    for (
      const key of [
        "runId",
        "status",
        "stopReason",
        "stopDetail",
        "tokens",
        "durations",
        "finalScript",
        "dir",
        "startedAt",
        "endedAt",
        "limits",
      ] as const
    ) {
      assert.deepEqual(stored.result[key], result[key], key);
    }
    assert.deepEqual(stored.result.task, result.task);
  });
  await t.step("every attempt, texts included, equal to the live result", () => {
    assert.deepEqual(stored.result.attempts, result.attempts);
  });
  await t.step("the transcript's events, each with the time it was written", () => {
    assert.ok(stored.events.every((e) => typeof (e as { at?: unknown }).at === "string"));
    const withoutTimes = stored.events.map((e) => {
      const { at: _at, ...event } = e as RunEvent & { at: string };
      return event;
    });
    assert.deepEqual(withoutTimes, asLogged(events));
  });
});

Deno.test("readRun() reads a run that never finished, saying what is missing", async () => {
  await using out = await tempDir();
  const { result } = await hostileRun(out.path);
  const dir = result.dir!;
  await Deno.remove(join(dir, "summary.json"));
  const transcript = join(dir, "transcript.jsonl");
  const lines = (await Deno.readTextFile(transcript)).trimEnd().split("\n");
  await Deno.writeTextFile(transcript, lines.slice(0, -1).join("\n") + '\n{"kind":"verd');
  await Deno.remove(join(dir, "attempt-2"), { recursive: true });
  const stored = await readRun(dir);
  assert.equal(stored.result.status, "interrupted");
  assert.equal(stored.result.attempts.length, 1);
  assert.equal(stored.result.runId, result.runId);
  assert.deepEqual(stored.result.tokens, result.tokens, "every model call is still in the transcript");
  assert.ok(stored.notes.some((n) => /no summary\.json/.test(n)));
  assert.ok(stored.notes.some((n) => /line \d+ is not JSON/.test(n)));
});

Deno.test("readRun() without a transcript still reads, without prompts or Sheriff timings", async () => {
  await using out = await tempDir();
  const { result } = await hostileRun(out.path);
  await Deno.remove(join(result.dir!, "transcript.jsonl"));
  const stored = await readRun(result.dir!);
  assert.deepEqual(stored.events, []);
  assert.equal(stored.result.attempts.length, 2);
  assert.deepEqual(stored.result.attempts[1].draft, result.attempts[1].draft, "the program from its script");
  assert.ok(stored.notes.some((n) => /no transcript\.jsonl/.test(n)));
  assert.ok(stored.notes.some((n) => /Sheriff's token counts/.test(n)));
  const sheriff = stored.result.attempts[1].sheriff;
  assert.equal(sheriff.kind === "verdict" && sheriff.reply.usage.estimated, true);
});

Deno.test("readRun() takes the program from the transcript when its script is gone", async (t) => {
  await using out = await tempDir();
  const { result } = await hostileRun(out.path);
  await Deno.remove(join(result.dir!, "attempt-1", "script.py"));
  await t.step("the transcript's draft", async () => {
    const stored = await readRun(result.dir!);
    assert.deepEqual(stored.result.attempts[0].draft, result.attempts[0].draft);
    assert.deepEqual(stored.notes, []);
  });
  await t.step("no code, with a note, when neither has it", async () => {
    await Deno.remove(join(result.dir!, "transcript.jsonl"));
    const stored = await readRun(result.dir!);
    assert.equal(stored.result.attempts[0].draft.kind, "no_code");
    assert.ok(stored.notes.some((n) => /attempt 1: the program is neither in script\.py/.test(n)));
  });
});

Deno.test("readRun() refuses what is not a run, with a ConfigError saying why", async (t) => {
  await using out = await tempDir();
  await t.step("no task.json", async () => {
    await assert.rejects(readRun(out.path), {
      name: "ConfigError",
      message: /^Cannot load run .*: no task\.json$/,
    });
  });
  await t.step("task.json that is not a task", async () => {
    await Deno.writeTextFile(join(out.path, "task.json"), "[1]");
    await assert.rejects(readRun(out.path), { message: /task\.json does not hold a task/ });
    await Deno.writeTextFile(join(out.path, "task.json"), JSON.stringify({ name: "x" }));
    await assert.rejects(readRun(out.path), { message: /task\.json does not hold a task: description: / });
  });
  await t.step("a result.json that does not parse or does not fit", async () => {
    const { result } = await hostileRun(out.path);
    const path = join(result.dir!, "attempt-1", "result.json");
    await Deno.writeTextFile(path, "{");
    await assert.rejects(
      readRun(result.dir!),
      (e) => e instanceof ConfigError && /result\.json is not JSON/.test(e.message),
    );
    await Deno.writeTextFile(path, JSON.stringify({ number: 1 }));
    await assert.rejects(
      readRun(result.dir!),
      (e) => e instanceof ConfigError && /attempt-1\/result\.json: /.test(e.message),
    );
  });
  await t.step("a summary.json that does not fit", async () => {
    const { result } = await hostileRun(out.path);
    await Deno.writeTextFile(join(result.dir!, "summary.json"), JSON.stringify({ runId: "x" }));
    await assert.rejects(readRun(result.dir!), {
      name: "ConfigError",
      message: /^Cannot load run .*: summary\.json: task: /,
    });
  });
});

Deno.test("readRuns(), listRuns() and latestRunDir() find runs oldest first", async (t) => {
  await using out = await tempDir();
  const first = await hostileRun(out.path);
  const second = await hostileRun(out.path);
  await Deno.mkdir(join(out.path, "zzz-not-a-run"));
  await t.step("readRuns skips folders that are not runs", async () => {
    const runs = await readRuns(out.path);
    assert.deepEqual(
      runs.map((r) => r.result.runId).sort(),
      [first.result.runId, second.result.runId].sort(),
    );
  });
  await t.step("listRuns and latestRunDir order by name (run ids start with the time)", async () => {
    const dirs = [first.result.dir!, second.result.dir!].sort();
    assert.deepEqual(await listRuns(out.path), dirs);
    assert.equal(await latestRunDir(out.path), dirs[1], "a later folder that is not a run is skipped");
  });
  await t.step("an empty or missing folder is a ConfigError", async () => {
    await using empty = await tempDir();
    await assert.rejects(latestRunDir(empty.path), { name: "ConfigError", message: /it holds none$/ });
    await assert.rejects(latestRunDir(join(empty.path, "none")), {
      name: "ConfigError",
      message: /^Cannot list the runs in /,
    });
  });
});
