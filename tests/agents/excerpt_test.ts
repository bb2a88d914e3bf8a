import assert from "node:assert/strict";
import { boundedLines, excerpt, fitExcerpt, oneLine } from "../../lib/agents/excerpt.ts";
import { fence } from "../../lib/host/fence.ts";

Deno.test("excerpt() keeps short text whole", () => {
  assert.equal(excerpt("hello", 5), "hello");
});

Deno.test("excerpt() keeps head and tail within the limit", async (t) => {
  await t.step("cuts on line breaks near the cut", () => {
    const text = Array.from({ length: 100 }, (_, index) => `line ${index}`).join("\n");
    const result = excerpt(text, 100);
    assert.ok(result.length <= 100, `${result.length}`);
    assert.match(result, /^line 0\nline 1\n/);
    assert.match(result, /\nline 99$/);
    const [head, tail] = result.split(/\n\[\.\.\. \d+ characters omitted \.\.\.\]\n/);
    const omitted = Number(/(\d+) characters omitted/.exec(result)?.[1]);
    assert.equal(head.length + omitted + tail.length, text.length);
    assert.ok(!head.endsWith("\n") && !/^\n/.test(tail));
  });
  await t.step("headShare 0 keeps only the tail", () => {
    const result = excerpt("a".repeat(50) + "END", 40, { headShare: 0 });
    assert.match(result, /^\[\.\.\. \d+ characters omitted \.\.\.\]\na+END$/);
    assert.ok(result.length <= 40);
  });
  await t.step("a custom marker", () => {
    const result = excerpt("x".repeat(100), 60, { marker: (n) => `# ${n} cut` });
    assert.match(result, /\n# \d+ cut\n/);
    assert.ok(result.length <= 60);
  });
  await t.step("never splits a surrogate pair", () => {
    const text = "🦕".repeat(100);
    for (const limit of [40, 41, 42, 43]) {
      const result = excerpt(text, limit);
      assert.ok(result.length <= limit);
      assert.ok(result.isWellFormed(), `limit ${limit}`);
    }
  });
  await t.step("nothing when even the marker does not fit", () => {
    assert.equal(excerpt("x".repeat(100), 10), "");
  });
});

Deno.test("fitExcerpt() fits the rendering, however long the fence grows", async (t) => {
  await t.step("plain text is kept whole when it fits", () => {
    assert.equal(fitExcerpt("abc", 100, (part) => fence(part)), "```\nabc\n```");
  });
  await t.step("a long backtick run", () => {
    const text = "`".repeat(5000) + "\nend";
    const result = fitExcerpt(text, 300, (part) => fence(part, "text"));
    assert.ok(result.length <= 300, `${result.length}`);
    assert.match(result, /end\n`+$/);
  });
});

Deno.test("oneLine() flattens and cuts", () => {
  assert.equal(oneLine("a\nb\r\nc", 100), "a ⏎ b ⏎ c");
  assert.equal(oneLine("abcdef", 4), "abc…");
});

Deno.test("boundedLines() keeps what fits and counts the rest", () => {
  const lines = Array.from({ length: 10 }, (_, index) => `item ${index}`);
  assert.equal(boundedLines(lines, 1000), lines.join("\n"));
  const result = boundedLines(lines, 40);
  assert.ok(result.length <= 40, `${result.length}`);
  assert.match(result, /^item 0\nitem 1\n.*… and \d+ more$/s);
  const kept = result.split("\n").length - 1;
  assert.equal(Number(/and (\d+) more/.exec(result)?.[1]), 10 - kept);
});
