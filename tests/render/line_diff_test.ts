import assert from "node:assert/strict";
import { lineDiff } from "../../lib/render/line_diff.ts";

Deno.test("lineDiff() shows a changed line as expected then actual, with context", () => {
  assert.deepEqual(lineDiff("a\nb\nc", "a\nx\nc"), [
    { kind: "same", text: "a" },
    { kind: "expected", text: "b" },
    { kind: "actual", text: "x" },
    { kind: "same", text: "c" },
  ]);
});

Deno.test("lineDiff() marks missing and extra lines", async (t) => {
  await t.step("a missing line", () => {
    assert.deepEqual(lineDiff("a\nb\nc", "a\nc").filter((l) => l.kind !== "same"), [
      { kind: "expected", text: "b" },
    ]);
  });
  await t.step("an extra line", () => {
    assert.deepEqual(lineDiff("a\nc", "a\nb\nc").filter((l) => l.kind !== "same"), [
      { kind: "actual", text: "b" },
    ]);
  });
});

Deno.test("lineDiff() folds unchanged lines far from a change", () => {
  const expected = Array.from({ length: 20 }, (_, i) => String(i)).join("\n");
  const diff = lineDiff(expected, expected.replace("\n10\n", "\nten\n"), { context: 1 });
  assert.deepEqual(diff, [
    { kind: "folded", count: 9 },
    { kind: "same", text: "9" },
    { kind: "expected", text: "10" },
    { kind: "actual", text: "ten" },
    { kind: "same", text: "11" },
    { kind: "folded", count: 8 },
  ]);
});

Deno.test("lineDiff() cuts a long diff to maxLines, counting the rest", () => {
  const a = Array.from({ length: 50 }, (_, i) => `a${i}`).join("\n");
  const b = Array.from({ length: 50 }, (_, i) => `b${i}`).join("\n");
  const diff = lineDiff(a, b, { maxLines: 10 });
  assert.equal(diff.length, 10);
  assert.deepEqual(diff.at(-1), { kind: "more", count: 91 });
});

Deno.test("lineDiff() of equal texts has no changes", () => {
  assert.deepEqual(lineDiff("a\nb", "a\nb"), [{ kind: "folded", count: 2 }]);
});
