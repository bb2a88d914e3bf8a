import assert from "node:assert/strict";
import { z } from "zod";
import {
  expecting,
  formatIssueLines,
  formatIssues,
  keyPath,
  showValue,
} from "../../lib/config/format_issue.ts";

Deno.test("showValue() renders found values briefly", async (t) => {
  await t.step("scalars as JSON", () => {
    assert.equal(showValue("five"), '"five"');
    assert.equal(showValue(-3), "-3");
    assert.equal(showValue(true), "true");
    assert.equal(showValue(null), "null");
    assert.equal(showValue(undefined), "nothing");
  });
  await t.step("containers by kind", () => {
    assert.equal(showValue([1, 2]), "a list");
    assert.equal(showValue({ a: 1 }), "a mapping");
  });
  await t.step("long strings cut, with their length", () => {
    const shown = showValue("x".repeat(10_000));
    assert.ok(shown.length < 80, shown);
    assert.match(shown, /…\s\(10000 characters\)$/);
  });
});

Deno.test("keyPath() joins keys with dots and indexes with brackets", () => {
  assert.equal(keyPath(["checks", "files", 0]), "checks.files[0]");
  assert.equal(keyPath(["agent", "max_attempts"]), "agent.max_attempts");
  assert.equal(keyPath([]), "");
});

Deno.test("expecting() says what was expected and what was found", () => {
  const map = expecting("an integer >= 1");
  assert.equal(map({ input: "five" }), 'expected an integer >= 1, got "five"');
  assert.equal(map({ input: undefined }), "missing, expected an integer >= 1");
});

Deno.test("formatIssues() gives one line naming the key", async (t) => {
  const schema = z.strictObject({
    agent: z.strictObject({ max_attempts: z.int({ error: expecting("an integer >= 1") }).optional() }),
  });
  const issues = (value: unknown) => {
    const result = schema.safeParse(value, { reportInput: true });
    assert.equal(result.success, false);
    return result.error!.issues;
  };

  await t.step("an unknown key is named with its full path", () => {
    assert.equal(formatIssues(issues({ agent: { max_attemps: 3 } })), "agent.max_attemps: unknown key");
  });
  await t.step("a wrong type shows the value", () => {
    assert.equal(
      formatIssues(issues({ agent: { max_attempts: "five" } })),
      'agent.max_attempts: expected an integer >= 1, got "five"',
    );
  });
  await t.step("further problems are counted, on the same line", () => {
    const all = issues({ agent: { a: 1, b: 2, max_attempts: "x" } });
    assert.deepEqual(formatIssueLines(all).length, 3);
    const line = formatIssues(all);
    assert.match(line, /^agent\.a: unknown key \(and 2 more problems\)$/);
    assert.ok(!line.includes("\n"));
  });
});
