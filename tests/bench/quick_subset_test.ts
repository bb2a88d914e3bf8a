import assert from "node:assert/strict";
import { join } from "node:path";
import { everyNth, loadQuickSubset } from "../../lib/bench/quick_subset.ts";
import { loadMbpp } from "../../lib/bench/mbpp.ts";
import { ConfigError } from "../../lib/errors.ts";
import { tempDir } from "../_helpers.ts";
import { NO_MBPP } from "./_mbpp_data.ts";

Deno.test("everyNth() keeps positions 0, step, 2 * step, ...", () => {
  assert.deepEqual(everyNth([..."abcdefg"], 3), ["a", "d", "g"]);
  assert.deepEqual(everyNth([1, 2], 1), [1, 2]);
  assert.throws(() => everyNth([1], 0), RangeError);
});

Deno.test({
  name: "loadQuickSubset() lists exactly the ids its rule picks from the data set",
  ignore: NO_MBPP,
  async fn() {
    const quick = await loadQuickSubset();
    const ids = (await loadMbpp()).map((r) => r.taskId);
    assert.deepEqual(quick.taskIds, everyNth(ids, quick.step));
    assert.match(quick.rule, new RegExp(`Every ${quick.step}th task`));
  },
});

Deno.test("loadQuickSubset() rejects a file without task ids, naming it", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "quick.json");
  await Deno.writeTextFile(path, JSON.stringify({ rule: "r", step: 2, task_ids: [] }));
  await assert.rejects(
    loadQuickSubset(path),
    (e) => e instanceof ConfigError && e.message.startsWith(`Invalid MBPP quick subset in ${path}: task_ids`),
  );
});
