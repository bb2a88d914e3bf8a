/** The notebook entry's conveniences that join the store and the views (`notebook.ts`). */
import assert from "node:assert/strict";
import {
  compareRuns,
  comparisonRow,
  JUPYTER_DISPLAY,
  loadRun,
  loadRuns,
  promptsFromEvents,
} from "../../notebook.ts";
import { summaryOf } from "../../lib/store/summary.ts";
import { tempDir } from "../_helpers.ts";
import { ESCAPED, HOSTILE, hostileRun } from "../render/_hostile_run.ts";

Deno.test("loadRun() shows a past run like the live one, prompts included", async (t) => {
  await using out = await tempDir();
  const { result, events } = await hostileRun(out.path);
  const view = await loadRun(result.dir!);
  await t.step("the result and the prompts of every turn", () => {
    assert.deepEqual(view.result, result);
    assert.deepEqual(view.notes, []);
    assert.deepEqual(view.prompts, promptsFromEvents(events));
    assert.ok(view.prompts[2].coder!.length > 0 && view.prompts[2].sheriff!.length > 0);
  });
  await t.step("it displays like the live run, hostile text escaped", () => {
    const html = view[JUPYTER_DISPLAY]()["text/html"];
    assert.ok(!html.includes(HOSTILE) && html.includes(ESCAPED));
    assert.equal([...html.matchAll(/data-verdict=/g)].length, 4);
  });
  await t.step("a run that never finished shows the note", async () => {
    await Deno.remove(`${result.dir}/summary.json`);
    const unfinished = await loadRun(result.dir!);
    assert.match(unfinished[JUPYTER_DISPLAY]()["text/html"], /note: the run did not finish/);
  });
});

Deno.test("compareRuns() and comparisonRow() take results, loaded runs and summaries alike", async () => {
  await using out = await tempDir();
  const { result } = await hostileRun(out.path);
  const [loaded] = await loadRuns(out.path);
  const row = comparisonRow(result);
  assert.equal(row.runId, result.runId);
  assert.deepEqual(comparisonRow(loaded), row);
  assert.deepEqual(comparisonRow(summaryOf(result)), row);
  const plain = compareRuns([result, loaded, summaryOf(result)])[JUPYTER_DISPLAY]()["text/plain"];
  assert.equal(plain.split("\n").filter((line) => line.includes(result.runId)).length, 3);
});
