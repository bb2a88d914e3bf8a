import assert from "node:assert/strict";
import { guessLanguage, highlight, tokenize } from "../../lib/render/highlight.ts";

const PYTHON = `# sum of squares
def total(n: int) -> int:
    """Docs with 'quotes'."""
    s = f"{n}" if n > 0 else None
    return sum(i ** 2 for i in range(n)) + 0x1F + 3.5e-2

print(total(3), 'a\\'b', True)
`;

const TYPESCRIPT = `// sum of squares
/* block
   comment */
export function total(n: number): number {
  const s = \`\${n} items\`;
  let x = "a\\"b" + 'c';
  return Array.from({ length: n }, (_, i) => i ** 2).reduce((a, b) => a + b, 0) + 0xff + 10n;
}
console.log(total(3), null, undefined);
`;

function kinds(code: string, language: "python" | "typescript", kind: string): string[] {
  return tokenize(code, language).filter((t) => t.kind === kind).map((t) => t.text);
}

Deno.test("tokenize() gives the program back exactly", async (t) => {
  await t.step("python", () => assert.equal(tokenize(PYTHON, "python").map((t) => t.text).join(""), PYTHON));
  await t.step("typescript", () => {
    assert.equal(tokenize(TYPESCRIPT, "typescript").map((t) => t.text).join(""), TYPESCRIPT);
  });
  await t.step("unterminated strings and comments", () => {
    for (const code of [`x = "abc`, `'''never closed`, "/* open", "`open"]) {
      assert.equal(tokenize(code, "python").map((t) => t.text).join(""), code);
      assert.equal(tokenize(code, "typescript").map((t) => t.text).join(""), code);
    }
  });
});

Deno.test("tokenize() classifies Python tokens", async (t) => {
  await t.step("comments", () => assert.deepEqual(kinds(PYTHON, "python", "com"), ["# sum of squares"]));
  await t.step("keywords", () => {
    assert.deepEqual(kinds(PYTHON, "python", "kw"), ["def", "if", "else", "return", "for", "in"]);
  });
  await t.step("strings with prefixes and triple quotes", () => {
    assert.deepEqual(kinds(PYTHON, "python", "str"), [`"""Docs with 'quotes'."""`, `f"{n}"`, `'a\\'b'`]);
  });
  await t.step(
    "numbers",
    () => assert.deepEqual(kinds(PYTHON, "python", "num"), ["0", "2", "0x1F", "3.5e-2", "3"]),
  );
  await t.step("literals and called names", () => {
    assert.deepEqual(kinds(PYTHON, "python", "lit"), ["None", "True"]);
    assert.deepEqual(kinds(PYTHON, "python", "fn"), ["total", "sum", "range", "print", "total"]);
  });
});

Deno.test("tokenize() classifies TypeScript tokens", async (t) => {
  await t.step("line and block comments", () => {
    assert.deepEqual(kinds(TYPESCRIPT, "typescript", "com"), [
      "// sum of squares",
      "/* block\n   comment */",
    ]);
  });
  await t.step("template, double and single quoted strings", () => {
    assert.deepEqual(kinds(TYPESCRIPT, "typescript", "str"), ["`${n} items`", `"a\\"b"`, "'c'"]);
  });
  await t.step("keywords, literals, numbers", () => {
    assert.ok(kinds(TYPESCRIPT, "typescript", "kw").includes("function"));
    assert.ok(kinds(TYPESCRIPT, "typescript", "kw").includes("const"));
    assert.deepEqual(kinds(TYPESCRIPT, "typescript", "lit"), ["null", "undefined"]);
    assert.deepEqual(kinds(TYPESCRIPT, "typescript", "num"), ["2", "0", "0xff", "10n", "3"]);
  });
});

Deno.test("highlight() escapes everything and wraps tokens in spans", async (t) => {
  await t.step("a program printing a script tag shows it as text", () => {
    const out = highlight(`print("<script>alert(1)</script>")`, "python").value;
    assert.doesNotMatch(out, /<script>/);
    assert.match(out, /<span class="tk-str">&quot;&lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;<\/span>/);
  });
  await t.step("comparison operators in plain text are escaped", () => {
    assert.equal(highlight("a < b && c > d", "typescript").value, "a &lt; b &amp;&amp; c &gt; d");
  });
  await t.step("keywords get their class", () => {
    assert.match(highlight("return x", "python").value, /^<span class="tk-kw">return<\/span> x$/);
  });
});

Deno.test("guessLanguage() tells TypeScript from Python", () => {
  assert.equal(guessLanguage(`const x: number = 1;\nconsole.log(x);`), "typescript");
  assert.equal(guessLanguage(`def f():\n    return 1\nprint(f())`), "python");
  assert.equal(guessLanguage(`x = 1`), "python");
});
