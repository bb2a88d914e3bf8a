import assert from "node:assert/strict";
import { FALLBACK_SLUG, MAX_SLUG_LENGTH, SLUG_PATTERN, slugFromWords, slugify } from "../../lib/task/slug.ts";

Deno.test("slugify() makes readable slugs", () => {
  assert.equal(slugify("Word Count!"), "word-count");
  assert.equal(slugify("  Sales   report -- 2026  "), "sales-report-2026");
  assert.equal(slugify("Café Crème"), "cafe-creme");
  assert.equal(slugify("ﬁle"), "file", "compatibility forms are decomposed");
  assert.equal(slugify("fibonacci"), "fibonacci");
});

Deno.test("slugify() never returns a path or an empty name", async (t) => {
  const hostile: [string, string][] = [
    ["../../x", "x"],
    ["/etc/passwd", "etc-passwd"],
    ["..", FALLBACK_SLUG],
    [".", FALLBACK_SLUG],
    ["", FALLBACK_SLUG],
    ["   ", FALLBACK_SLUG],
    ["日本語のタスク", FALLBACK_SLUG],
    ["🙂🙂", FALLBACK_SLUG],
    ["C:\\Windows\\System32", "c-windows-system32"],
    ["~/.ssh/id_rsa", "ssh-id-rsa"],
    ["a\0b", "a-b"],
    ["-leading-and-trailing-", "leading-and-trailing"],
    ["İstanbul", "istanbul"],
    ["\ud800 lone surrogate", "lone-surrogate"],
  ];
  for (const [input, expected] of hostile) {
    await t.step(JSON.stringify(input), () => {
      const slug = slugify(input);
      assert.equal(slug, expected);
      assert.match(slug, SLUG_PATTERN);
    });
  }
});

Deno.test("slugify() cuts long text at a dash within the length limit", async (t) => {
  await t.step("words", () => {
    const slug = slugify("print the first twenty fibonacci numbers one per line starting at zero and one");
    assert.ok(slug.length <= MAX_SLUG_LENGTH, slug);
    assert.equal(slug, "print-the-first-twenty-fibonacci-numbers-one-per");
    assert.match(slug, SLUG_PATTERN);
  });
  await t.step("one long word", () => {
    assert.equal(slugify("x".repeat(500)), "x".repeat(MAX_SLUG_LENGTH));
  });
  await t.step("a huge input, quickly", () => {
    const started = performance.now();
    const slug = slugify("ab ".repeat(5_000_000));
    assert.ok(performance.now() - started < 1_000);
    assert.match(slug, SLUG_PATTERN);
    assert.ok(slug.length <= MAX_SLUG_LENGTH);
  });
});

Deno.test("slugify() always matches the slug pattern on generated inputs", () => {
  const alphabet = ["a", "Z", "0", "-", "_", ".", "/", "\\", " ", "é", "ß", "\u0301", "日", "\n", "\0", "😀"];
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < 2000; i++) {
    const length = next() % 80;
    const text = Array.from({ length }, () => alphabet[next() % alphabet.length]).join("");
    const slug = slugify(text);
    assert.match(slug, SLUG_PATTERN, JSON.stringify(text));
    assert.ok(slug.length <= MAX_SLUG_LENGTH, JSON.stringify(text));
  }
});

Deno.test("slugFromWords() uses the first words only", () => {
  assert.equal(
    slugFromWords("Write a program that prints a calendar for March 2026"),
    "write-a-program-that-prints-a",
  );
  assert.equal(slugFromWords("Sort numbers", 1), "sort");
  assert.equal(slugFromWords("   "), FALLBACK_SLUG);
});
