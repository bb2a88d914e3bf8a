import assert from "node:assert/strict";
import { mean, median, percentile, ratio } from "../../lib/bench/stats.ts";

Deno.test("median() takes the middle value, or the mean of the two middle ones", () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

Deno.test("percentile() uses the nearest rank", () => {
  const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
  assert.equal(percentile(values, 90), 90);
  assert.equal(percentile(values, 50), 50);
  assert.equal(percentile(values, 100), 100);
  assert.equal(percentile([7, 3], 90), 7);
  assert.equal(percentile([...values, 110], 90), 100);
  assert.ok(Number.isNaN(percentile([], 90)));
  assert.throws(() => percentile(values, 0), RangeError);
});

Deno.test("mean() and ratio() give NaN for nothing", () => {
  assert.equal(mean([1, 2, 6]), 3);
  assert.ok(Number.isNaN(mean([])));
  assert.equal(ratio(1, 4), 0.25);
  assert.ok(Number.isNaN(ratio(1, 0)));
});
