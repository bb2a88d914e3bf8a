import assert from "node:assert/strict";
import {
  badge,
  clip,
  details,
  escapeHtml,
  frame,
  joinHtml,
  markup,
  pre,
  prose,
  SafeHtml,
} from "../../lib/render/html.ts";

Deno.test("escapeHtml() escapes the five HTML characters and nothing else", async (t) => {
  await t.step("each character", () => {
    assert.equal(escapeHtml(`&<>"'`), "&amp;&lt;&gt;&quot;&#39;");
  });
  await t.step("a script tag becomes text", () => {
    assert.equal(
      escapeHtml(`<script>alert("x")</script>`),
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;",
    );
  });
  await t.step("an existing entity is escaped again, so it shows as typed", () => {
    assert.equal(escapeHtml("&lt;"), "&amp;lt;");
  });
  await t.step("other text, unicode included, is unchanged", () => {
    assert.equal(escapeHtml("Ünïcode → ✓ 42 `code` */"), "Ünïcode → ✓ 42 `code` */");
  });
});

Deno.test("markup() escapes every interpolated value unless it is SafeHtml", async (t) => {
  await t.step("text and numbers are escaped", () => {
    assert.equal(markup`<b>${"<i>"}</b>${3}`.value, "<b>&lt;i&gt;</b>3");
  });
  await t.step("SafeHtml is kept", () => {
    assert.equal(markup`<p>${markup`<i>${"a&b"}</i>`}</p>`.value, "<p><i>a&amp;b</i></p>");
  });
  await t.step("lists are joined, each item escaped", () => {
    assert.equal(markup`${["<a>", new SafeHtml("<b>"), 1]}`.value, "&lt;a&gt;<b>1");
  });
  await t.step("null, undefined and false render nothing; true renders as text", () => {
    assert.equal(markup`[${null}${undefined}${false}${true}]`.value, "[true]");
  });
  await t.step("attribute values cannot break out of their quotes", () => {
    assert.equal(markup`<a title="${`" onclick="x`}">`.value, `<a title="&quot; onclick=&quot;x">`);
  });
});

Deno.test("joinHtml() escapes items and the separator", () => {
  assert.equal(joinHtml(["<a>", "b"], " & ").value, "&lt;a&gt; &amp; b");
});

Deno.test("badge() and details() escape their text", async (t) => {
  await t.step("badge", () => {
    assert.equal(badge("<PASS>", "pass").value, `<span class="fx-badge fx-pass">&lt;PASS&gt;</span>`);
  });
  await t.step("details closed by default, open on request", () => {
    assert.equal(
      details("<s>", "<b>").value,
      `<details class="fx-details"><summary>&lt;s&gt;</summary>&lt;b&gt;</details>`,
    );
    assert.match(details("s", "b", true).value, /^<details class="fx-details" open>/);
  });
});

Deno.test("pre() keeps text exactly, escapes it, and says how much it cut", async (t) => {
  await t.step("short text is whole", () => {
    assert.equal(pre("a\n<b>").value, `<pre class="fx-pre">a\n&lt;b&gt;</pre>`);
  });
  await t.step("long text is cut at maxLines with a note", () => {
    const text = Array.from({ length: 10 }, (_, i) => `line ${i}`).join("\n");
    const out = pre(text, { maxLines: 3 }).value;
    assert.match(out, /line 2<\/pre>/);
    assert.doesNotMatch(out, /line 3\b/);
    assert.match(out, /7 more lines not shown here/);
  });
  await t.step("whitespace-only text is described, not shown as an empty box", () => {
    assert.match(pre("\n\n\n  ").value, /only whitespace: 5 characters/);
  });
});

Deno.test("frame() wraps the body with the scoped stylesheet", () => {
  const out = frame(markup`<p>x</p>`).value;
  assert.match(out, /^<div class="fx-root"><style>/);
  assert.match(out, /<p>x<\/p><\/div>$/);
  assert.match(out, /prefers-color-scheme: dark/, "token colours switch in dark themes");
  assert.doesNotMatch(out, /https?:\/\//, "nothing is loaded from elsewhere");
});

Deno.test("clip() keeps the first line and marks a cut with an ellipsis", () => {
  assert.equal(clip("short\nsecond", 10), "short");
  assert.equal(clip("0123456789abc", 10), "012345678…");
  assert.equal(clip("0123456789", 10), "0123456789");
});

Deno.test("prose() escapes model text and keeps its line breaks", () => {
  assert.equal(prose("a <b>\nc").value, `<div class="fx-prose">a &lt;b&gt;\nc</div>`);
});
