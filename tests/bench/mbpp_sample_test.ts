import assert from "node:assert/strict";
import { join } from "node:path";
import { loadSample, spreadEvenly } from "../../lib/bench/mbpp_sample.ts";
import { loadQuickSubset } from "../../lib/bench/quick_subset.ts";
import { loadMbpp } from "../../lib/bench/mbpp.ts";
import { loadSuite } from "../../lib/bench/suites.ts";
import { ConfigError } from "../../lib/errors.ts";
import { tempDir } from "../_helpers.ts";
import { NO_MBPP } from "./_mbpp_data.ts";

Deno.test("spreadEvenly() takes the items at positions floor(i * n / count)", () => {
  assert.deepEqual(spreadEvenly([..."abcdefghij"], 4), ["a", "c", "f", "h"]);
  assert.deepEqual(spreadEvenly([1, 2], 5), [1, 2]);
  assert.throws(() => spreadEvenly([1], 0), RangeError);
});

Deno.test({
  name: "loadSample() lists exactly the 100 ids its rule picks from the data set",
  ignore: NO_MBPP,
  async fn() {
    const sample = await loadSample();
    const ids = (await loadMbpp()).map((r) => r.taskId);
    assert.equal(sample.count, 100);
    assert.deepEqual(sample.taskIds, spreadEvenly(ids, 100));
    assert.equal(new Set(sample.taskIds).size, 100);
    assert.match(sample.rule, /floor\(i \* 427 \/ 100\)/);
  },
});

Deno.test({
  name: "loadSuite() runs the sample of 100 by default, the quick subset with quick, all with all",
  ignore: NO_MBPP,
  async fn() {
    const sample = await loadSuite("mbpp");
    assert.deepEqual(sample.map((b) => Number(b.id)), (await loadSample()).taskIds);
    const quick = await loadSuite("mbpp", { quick: true });
    assert.deepEqual(quick.map((b) => Number(b.id)), (await loadQuickSubset()).taskIds);
    assert.equal((await loadSuite("mbpp", { all: true })).length, 427);
  },
});

Deno.test("loadSample() rejects a file without task ids, naming it", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "sample.json");
  await Deno.writeTextFile(path, JSON.stringify({ rule: "r", count: 2, task_ids: [] }));
  await assert.rejects(
    loadSample(path),
    (e) => e instanceof ConfigError && e.message.startsWith(`Invalid MBPP sample in ${path}: task_ids`),
  );
});
