import assert from "node:assert/strict";
import { terminalSafe } from "../../lib/render/terminal_text.ts";

Deno.test("terminalSafe() shows control characters as escapes", async (t) => {
  const cases: Array<[string, string, string]> = [
    ["an escape sequence", "\x1b[31mred", "\\x1b[31mred"],
    ["a bell and a backspace", "a\x07b\x08", "a\\x07b\\x08"],
    ["a lone carriage return", "50%\r100%", "50%\\r100%"],
    ["a C1 control", "x\x9by", "x\\x9by"],
    ["a right-to-left override", "abc\u202edef", "abc\\u202edef"],
    ["a zero-width space", "a\u200bb", "a\\u200bb"],
  ];
  for (const [name, input, shown] of cases) {
    await t.step(name, () => assert.equal(terminalSafe(input), shown));
  }
});

Deno.test("terminalSafe() keeps line breaks, tabs and ordinary Unicode", () => {
  assert.equal(terminalSafe("a\tb\r\nc\nλ → ✓"), "a\tb\nc\nλ → ✓");
});
