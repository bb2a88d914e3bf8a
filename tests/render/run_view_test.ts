import assert from "node:assert/strict";
import { RunView, viewRun } from "../../lib/render/run_view.ts";
import { JUPYTER_DISPLAY } from "../../lib/render/bundles.ts";
import { promptsFromEvents } from "../../lib/render/prompt_book.ts";
import { tempDir } from "../_helpers.ts";
import { hostileRun } from "./_hostile_run.ts";

Deno.test("RunView displays the run and each turn of each attempt", async (t) => {
  await using out = await tempDir();
  const { result, events } = await hostileRun(out.path);
  const view = new RunView(result, promptsFromEvents(events), ["a <note>"]);
  await t.step("the whole run, with its notes", () => {
    const b = view[JUPYTER_DISPLAY]();
    assert.match(b["text/html"], /Time breakdown/);
    assert.match(b["text/html"], /note: a &lt;note&gt;/);
    assert.match(b["text/plain"], /note: a <note>$/);
    assert.equal(String(view), b["text/plain"]);
  });
  await t.step("each turn in the task's language, with its prompt", () => {
    assert.match(
      view.coder(2)[JUPYTER_DISPLAY]()["text/html"],
      /<span class="tk-com"># prints the numbers<\/span>/,
    );
    assert.match(view.coder(2)[JUPYTER_DISPLAY]()["text/html"], /Prompt: \d+ messages/);
    assert.match(view.execution(1)[JUPYTER_DISPLAY]()["text/html"], /exit 1/);
    assert.match(view.sheriff(1)[JUPYTER_DISPLAY]()["text/html"], /overruled by the facts/);
    assert.match(view.attempt(2)[JUPYTER_DISPLAY]()["text/html"], /data-verdict="PASS"/);
  });
  await t.step("an attempt that does not exist is a RangeError naming what exists", () => {
    assert.throws(() => view.coder(3), { name: "RangeError", message: /has no attempt 3: it has 2/ });
  });
});

Deno.test("viewRun() uses the prompts a notebook sink remembered, else none", async () => {
  await using out = await tempDir();
  const { result } = await hostileRun(out.path);
  assert.deepEqual(viewRun(result).prompts, {});
  assert.doesNotMatch(viewRun(result).coder(1)[JUPYTER_DISPLAY]()["text/html"], /Prompt:/);
});
