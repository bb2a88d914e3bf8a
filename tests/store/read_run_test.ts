import assert from "node:assert/strict";
import { join } from "node:path";
import { latestRunDir, listRuns, loadRun, loadRuns } from "../../lib/store/load_run.ts";
import { JUPYTER_DISPLAY } from "../../lib/render/bundles.ts";
import { promptsFromEvents } from "../../lib/render/prompt_book.ts";
import { ConfigError } from "../../lib/errors.ts";
import { tempDir } from "../_helpers.ts";
import { ESCAPED, HOSTILE, hostileRun } from "../render/_hostile_run.ts";

Deno.test("loadRun() reads a run back as it happened", async (t) => {
  await using out = await tempDir();
  const { result, events } = await hostileRun(out.path);
  const view = await loadRun(result.dir!);
  const loaded = view.result;
  await t.step("the outcome and totals", () => {
    assert.deepEqual(view.notes, []);
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
      ] as const
    ) {
      assert.deepEqual(loaded[key], result[key], key);
    }
    assert.deepEqual(loaded.task, result.task);
  });
  await t.step("every attempt, texts included, equal to the live result", () => {
    assert.deepEqual(loaded.attempts, result.attempts);
  });
  await t.step("the prompts of every turn, from the transcript", () => {
    assert.deepEqual(view.prompts, promptsFromEvents(events));
    assert.ok(view.prompts[2].coder!.length > 0 && view.prompts[2].sheriff!.length > 0);
  });
  await t.step("it displays like the live run, hostile text escaped", () => {
    const html = view[JUPYTER_DISPLAY]()["text/html"];
    assert.ok(!html.includes(HOSTILE) && html.includes(ESCAPED));
    assert.equal([...html.matchAll(/data-verdict=/g)].length, 4);
  });
});

Deno.test("loadRun() loads a run that never finished, saying what is missing", async () => {
  await using out = await tempDir();
  const { result } = await hostileRun(out.path);
  const dir = result.dir!;
  await Deno.remove(join(dir, "summary.json"));
  const transcript = join(dir, "transcript.jsonl");
  const lines = (await Deno.readTextFile(transcript)).trimEnd().split("\n");
  await Deno.writeTextFile(transcript, lines.slice(0, -1).join("\n") + '\n{"kind":"verd');
  await Deno.remove(join(dir, "attempt-2", "result.json"));
  await Deno.remove(join(dir, "attempt-2"), { recursive: true });
  const view = await loadRun(dir);
  assert.equal(view.result.status, "interrupted");
  assert.equal(view.result.attempts.length, 1);
  assert.equal(view.result.runId, result.runId);
  assert.ok(view.result.tokens.prompt > 0, "tokens summed from the transcript");
  assert.ok(view.notes.some((n) => /no summary\.json/.test(n)));
  assert.ok(view.notes.some((n) => /line \d+ is not JSON/.test(n)));
  assert.match(view[JUPYTER_DISPLAY]()["text/html"], /note: the run did not finish/);
});

Deno.test("loadRun() without a transcript still loads, without prompts", async () => {
  await using out = await tempDir();
  const { result } = await hostileRun(out.path);
  await Deno.remove(join(result.dir!, "transcript.jsonl"));
  const view = await loadRun(result.dir!);
  assert.deepEqual(view.prompts, {});
  assert.equal(view.result.attempts.length, 2);
  assert.ok(view.notes.some((n) => /no transcript\.jsonl/.test(n)));
  assert.ok(view.notes.some((n) => /Sheriff's token counts/.test(n)));
  const sheriff = view.result.attempts[1].sheriff;
  assert.equal(sheriff.kind === "verdict" && sheriff.reply.usage.estimated, true);
});

Deno.test("loadRun() refuses what is not a run, with a ConfigError saying why", async (t) => {
  await using out = await tempDir();
  await t.step("no task.json", async () => {
    await assert.rejects(loadRun(out.path), {
      name: "ConfigError",
      message: /^Cannot load run .*: no task\.json$/,
    });
  });
  await t.step("task.json that is not a task", async () => {
    await Deno.writeTextFile(join(out.path, "task.json"), "[1]");
    await assert.rejects(loadRun(out.path), { message: /task\.json does not hold a task/ });
  });
  await t.step("a result.json that does not parse or does not fit", async () => {
    const { result } = await hostileRun(out.path);
    const path = join(result.dir!, "attempt-1", "result.json");
    await Deno.writeTextFile(path, "{");
    await assert.rejects(
      loadRun(result.dir!),
      (e) => e instanceof ConfigError && /result\.json is not JSON/.test(e.message),
    );
    await Deno.writeTextFile(path, JSON.stringify({ number: 1 }));
    await assert.rejects(
      loadRun(result.dir!),
      (e) => e instanceof ConfigError && /attempt-1\/result\.json: /.test(e.message),
    );
  });
});

Deno.test("loadRuns() and latestRunDir() find runs oldest first", async (t) => {
  await using out = await tempDir();
  const first = await hostileRun(out.path);
  const second = await hostileRun(out.path);
  await Deno.mkdir(join(out.path, "zzz-not-a-run"));
  await t.step("loadRuns skips folders that are not runs", async () => {
    const runs = await loadRuns(out.path);
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
