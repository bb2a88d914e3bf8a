import assert from "node:assert/strict";
import {
  coderMarkdown,
  escapeMarkdown,
  execMarkdown,
  runMarkdown,
  sheriffMarkdown,
} from "../../lib/render/markdown.ts";
import { tempDir } from "../_helpers.ts";
import { HOSTILE, hostileRun } from "./_hostile_run.ts";

Deno.test("escapeMarkdown() makes one inert line", async (t) => {
  await t.step("HTML becomes entities", () => {
    assert.equal(escapeMarkdown(HOSTILE), '&lt;script&gt;alert("pwned")&lt;/script&gt;');
  });
  await t.step("markdown punctuation is backslash-escaped", () => {
    assert.equal(escapeMarkdown("*a* _b_ `c` [d] | # ~"), "\\*a\\* \\_b\\_ \\`c\\` \\[d\\] \\| \\# \\~");
  });
  await t.step("line breaks become spaces so a table cell stays one cell", () => {
    assert.equal(escapeMarkdown("a\nb\r\nc"), "a b c");
  });
});

Deno.test("the Markdown renderers fence program text and escape the rest", async (t) => {
  await using out = await tempDir();
  const { result } = await hostileRun(out.path);
  const [bad] = result.attempts;
  await t.step("the Coder's program is fenced with its language", () => {
    const md = coderMarkdown(bad, "python");
    assert.match(md, /```python\nprint\('<script>/);
  });
  await t.step("program output is fenced as text, with its truncation said", () => {
    const md = execMarkdown(bad);
    assert.match(
      md,
      /stdout \(70061 bytes, truncated: the program wrote 70061 bytes\):\n\n```text\n<script>/,
    );
    assert.match(md, /\| stdout\\_contains \| \*\*fail\*\* \| missing 2 in &lt;script&gt;/);
  });
  await t.step("a fence in the output cannot close the block", () => {
    const withFence = {
      ...bad,
      exec: { ...bad.exec!, stdout: { text: "```\n# not a heading", bytes: 20, truncated: false } },
    };
    const md = execMarkdown(withFence as typeof bad);
    assert.match(md, /````text\n```\n# not a heading\n````/);
  });
  await t.step("the Sheriff's verdict, overruled mark, analysis and fix", () => {
    const md = sheriffMarkdown(bad);
    assert.match(md, /^\*\*Sheriff\*\* · \*\*PASS\*\* \(overruled by the facts\)/);
    assert.match(md, /Analysis:\n\n```text\nIt printed <script>/);
    assert.match(md, /Suggested fix:\n\n```text\nNothing; maybe add <\/pre>/);
  });
  await t.step("the run: heading, summary, one table row per attempt, every attempt", () => {
    const md = runMarkdown(result);
    assert.match(md, /^### factory · hostile \(python\)/);
    assert.match(md, /\| 1 \| FAIL \|/);
    assert.match(md, /\| 2 \| PASS \|/);
    assert.match(md, /#### Attempt 1 · \*\*FAIL\*\* · Sheriff overruled/);
    assert.match(md, /#### Attempt 2 · \*\*PASS\*\*/);
  });
});
