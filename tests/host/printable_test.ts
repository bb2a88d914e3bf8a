import assert from "node:assert/strict";
import { escapeJsonControls, printable, printableDeep } from "../../lib/host/printable.ts";

Deno.test("printable() shows every control a terminal or a model acts on escaped", async (t) => {
  await t.step("ESC sequences: CSI colours, OSC 52 clipboard writes, title changes", () => {
    assert.equal(printable("\x1b[32mok\x1b[0m"), "\\x1b[32mok\\x1b[0m");
    assert.equal(printable("\x1b]52;c;aGk=\x07"), "\\x1b]52;c;aGk=\\x07");
  });
  await t.step("other C0 controls and DEL; tab and newline stay", () => {
    assert.equal(printable("a\x00b\x08c\x7fd\te\nf"), "a\\x00b\\x08c\\x7fd\te\nf");
  });
  await t.step("carriage returns become line breaks: nothing overwrites a line already shown", () => {
    assert.equal(printable("a\r\nb\rc"), "a\nb\nc");
  });
  await t.step("C1 controls and bidi controls", () => {
    assert.equal(printable("\u009b31m\u0085"), "\\u009b31m\\u0085");
    assert.equal(
      printable("\u202eevil\u202c \u2066x\u2069 \u200f\u061c"),
      "\\u202eevil\\u202c \\u2066x\\u2069 \\u200f\\u061c",
    );
  });
  await t.step("ordinary text, accents and emoji unchanged; idempotent", () => {
    const text = "Ünïcode ✓ 🚀 \\x1b stays text";
    assert.equal(printable(text), text);
    assert.equal(printable(printable("\x1b\u202e")), printable("\x1b\u202e"));
  });
});

Deno.test("printableDeep() applies printable() to every string of plain data", () => {
  const value = { a: "\x1b", b: ["\u202e", 1, null], c: { d: "ok", e: true } };
  assert.deepEqual(printableDeep(value), { a: "\\x1b", b: ["\\u202e", 1, null], c: { d: "ok", e: true } });
  assert.deepEqual(value.a, "\x1b", "the input is not changed");
});

Deno.test("escapeJsonControls() escapes what JSON.stringify leaves raw, losslessly", () => {
  const data = { text: "\x1b \x7f \u009b \u202e \u2028 é" };
  const json = escapeJsonControls(JSON.stringify(data));
  assert.equal(json, '{"text":"\\u001b \\u007f \\u009b \\u202e \\u2028 é"}');
  assert.deepEqual(JSON.parse(json), data);
});
