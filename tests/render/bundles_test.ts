import assert from "node:assert/strict";
import {
  attemptBundle,
  coderBundle,
  execBundle,
  JUPYTER_DISPLAY,
  type MimeBundle,
  Rich,
  runBundle,
  sheriffBundle,
} from "../../lib/render/bundles.ts";
import { promptsFromEvents } from "../../lib/render/prompt_book.ts";
import type { Attempt, ExecResult, SheriffOpinion } from "../../lib/types.ts";
import { reply } from "../_fakes.ts";
import { tempDir } from "../_helpers.ts";
import { ESCAPED, ESCAPED_IMG, HOSTILE, HOSTILE_IMG, hostileRun } from "./_hostile_run.ts";

const MIMES = ["text/html", "text/markdown", "text/plain"];

function attempt(overrides: Partial<Attempt> = {}): Attempt {
  return {
    number: 1,
    draft: { kind: "code", code: "print(1)", reply: reply("```python\nprint(1)\n```") },
    exec: {
      kind: "exited",
      code: 0,
      ms: 12,
      stdout: { text: "1\n", bytes: 2, truncated: false },
      stderr: empty(),
    },
    checks: [],
    sheriff: {
      kind: "verdict",
      verdict: "PASS",
      analysis: "Fine.",
      fix: "none",
      reply: reply("VERDICT: PASS"),
    },
    verdict: { passed: true, overruled: false, reasons: [] },
    workDir: "/tmp/w",
    ms: 30,
    ...overrides,
  };
}

function empty() {
  return { text: "", bytes: 0, truncated: false };
}

/** Asserts the bundle has the three formats and that hostile text only ever appears escaped in HTML. */
function assertSafe(bundle: MimeBundle): void {
  assert.deepEqual(Object.keys(bundle).sort(), MIMES);
  for (const mime of MIMES) assert.equal(typeof bundle[mime], "string");
  assert.ok(!bundle["text/html"].includes(HOSTILE), "no raw script tag in HTML");
  assert.ok(!bundle["text/html"].includes(HOSTILE_IMG), "no raw img tag in HTML");
  assert.ok(!bundle["text/html"].includes("</pre><img"), "no pre break-out");
}

Deno.test("coderBundle() shows the program highlighted, the prompt collapsed, tokens and seconds", async (t) => {
  await t.step("a program", () => {
    const b = coderBundle(attempt(), "python", [{ role: "system", content: "You are the <Coder>." }]);
    assertSafe(b);
    assert.match(
      b["text/html"],
      /<pre class="fx-code"><span class="tk-fn">print<\/span>\(<span class="tk-num">1/,
    );
    assert.match(
      b["text/html"],
      /<details class="fx-details"><summary>Prompt: 1 messages, 20 characters<\/summary>/,
    );
    assert.match(b["text/html"], /You are the &lt;Coder&gt;\./);
    assert.match(b["text/html"], /50 tokens \(100 prompt\) · 5 ms/);
    assert.match(b["text/plain"], /^Coder, attempt 1: wrote 1 lines · 50 tokens · 5 ms\nprint\(1\)$/);
  });
  await t.step("a reply cut off at the token limit", () => {
    const draft = {
      kind: "truncated" as const,
      partial: "for i in",
      reply: reply("```python\nfor i in", "length"),
    };
    const html = coderBundle(attempt({ draft }), "python")["text/html"];
    assert.match(html, /cut off/);
    assert.match(html, /hit the token limit/);
    assert.match(html, /the partial program was not run/);
  });
  await t.step("a reply without code", () => {
    const draft = { kind: "no_code" as const, reply: reply(`I cannot. ${HOSTILE}`) };
    const b = coderBundle(attempt({ draft }), "python");
    assertSafe(b);
    assert.match(b["text/html"], /no code/);
    assert.ok(b["text/html"].includes(`I cannot. ${ESCAPED}`));
  });
  await t.step("no prompt known: no prompt section", () => {
    assert.doesNotMatch(coderBundle(attempt(), "python")["text/html"], /Prompt:/);
  });
});

Deno.test("execBundle() shows how the run ended, both streams with truncation, and the checks", async (t) => {
  const captured = (text: string, truncated = false) => ({
    text,
    bytes: truncated ? 99_999 : text.length,
    truncated,
  });
  const cases: [string, ExecResult | undefined, RegExp][] = [
    [
      "exit 0",
      { kind: "exited", code: 0, ms: 5, stdout: captured("ok"), stderr: empty() },
      /fx-pass">exit 0</,
    ],
    [
      "exit 2",
      { kind: "exited", code: 2, ms: 5, stdout: empty(), stderr: captured("boom") },
      /fx-fail">exit 2</,
    ],
    [
      "timeout",
      { kind: "timed_out", afterMs: 10_000, stdout: empty(), stderr: empty() },
      /timed out<.*killed after 10.0 s/,
    ],
    [
      "interrupt",
      { kind: "interrupted", afterMs: 900, stdout: empty(), stderr: empty() },
      /interrupted<.*stopped after 900 ms/,
    ],
    ["refused", { kind: "refused", reason: "no <sandbox>" }, /refused<.*no &lt;sandbox&gt;/],
    ["not run", undefined, /not run<.*there was no program to run/],
  ];
  for (const [name, exec, pattern] of cases) {
    await t.step(name, () => {
      const b = execBundle(attempt({ exec }));
      assertSafe(b);
      assert.match(b["text/html"], pattern);
    });
  }
  await t.step("a truncated stream says so, with the bytes written", () => {
    const exec: ExecResult = {
      kind: "exited",
      code: 1,
      ms: 5,
      stdout: captured(HOSTILE, true),
      stderr: captured(HOSTILE_IMG),
    };
    const b = execBundle(attempt({ exec }));
    assertSafe(b);
    assert.match(
      b["text/html"],
      /stdout · 99999 bytes · <span class="fx-badge fx-warn">truncated<\/span> the program wrote 99999 bytes/,
    );
    assert.ok(b["text/html"].includes(`<pre class="fx-pre">${ESCAPED}</pre>`));
    assert.ok(b["text/html"].includes(`<pre class="fx-pre fx-stderr">${ESCAPED_IMG}</pre>`));
  });
  await t.step("checks as a table with a badge each", () => {
    const checks = [
      { name: "stdout", passed: true, detail: "matched" },
      { name: "files", passed: false, detail: `missing <out.csv>` },
    ];
    const html = execBundle(attempt({ checks }))["text/html"];
    assert.match(html, /Checks: 1\/2 passed/);
    assert.match(html, /<td>stdout<\/td><td><span class="fx-badge fx-pass">pass<\/span>/);
    assert.match(
      html,
      /<td>files<\/td><td><span class="fx-badge fx-fail">fail<\/span><\/td><td>missing &lt;out.csv&gt;/,
    );
  });
});

Deno.test("sheriffBundle() shows the verdict badge, analysis and suggested fix", async (t) => {
  const verdict = (v: "PASS" | "FAIL"): SheriffOpinion => ({
    kind: "verdict",
    verdict: v,
    analysis: `Saw ${HOSTILE}`,
    fix: `Print </pre>${HOSTILE_IMG}`,
    reply: reply(`VERDICT: ${v}`),
  });
  await t.step("FAIL", () => {
    const b = sheriffBundle(attempt({ sheriff: verdict("FAIL") }), [{ role: "user", content: "review" }]);
    assertSafe(b);
    assert.match(b["text/html"], /<strong>Sheriff<\/strong><span class="fx-badge fx-fail">FAIL<\/span>/);
    assert.ok(b["text/html"].includes(`<h4>Analysis</h4><div class="fx-prose">Saw ${ESCAPED}</div>`));
    assert.ok(
      b["text/html"].includes(
        `<h4>Suggested fix</h4><div class="fx-prose">Print &lt;/pre&gt;${ESCAPED_IMG}</div>`,
      ),
    );
    assert.match(b["text/html"], /Prompt: 1 messages/);
    assert.match(b["text/plain"], /^Sheriff, attempt 1: FAIL — Saw <script>/);
  });
  await t.step("PASS overruled by the facts", () => {
    const a = attempt({
      sheriff: verdict("PASS"),
      verdict: { passed: false, overruled: true, reasons: ["exit 1"] },
    });
    const html = sheriffBundle(a)["text/html"];
    assert.match(html, /fx-pass">PASS<\/span><span class="fx-badge fx-warn">overruled by the facts</);
  });
  await t.step("an unreadable reply counts as FAIL", () => {
    const sheriff: SheriffOpinion = { kind: "unparsable", error: "no verdict line", reply: reply("hmm <b>") };
    const b = sheriffBundle(attempt({ sheriff }));
    assert.match(b["text/html"], /unreadable<.*it counts as FAIL/s);
    assert.match(b["text/html"], /hmm &lt;b&gt;/);
  });
  await t.step("not asked", () => {
    const b = sheriffBundle(attempt({ sheriff: { kind: "skipped", reason: "no code" } }));
    assert.match(b["text/html"], /not asked<\/span><span class="fx-muted">no code/);
  });
});

Deno.test("attemptBundle() has the verdict badge, the reasons and all three turns", () => {
  const a = attempt({ verdict: { passed: false, overruled: true, reasons: [`check failed: ${HOSTILE}`] } });
  const b = attemptBundle(a, "python");
  assertSafe(b);
  assert.match(b["text/html"], /data-verdict="FAIL">FAIL</);
  assert.match(b["text/html"], /Sheriff overruled/);
  assert.ok(b["text/html"].includes(`<li>check failed: ${ESCAPED}</li>`));
  for (const part of ["fx-coder", "fx-exec", "fx-sheriff"]) assert.match(b["text/html"], new RegExp(part));
  assert.match(b["text/plain"], /^attempt 1: FAIL \(Sheriff overruled\)/);
});

Deno.test("runBundle() renders a whole run from the real loop", async (t) => {
  await using out = await tempDir();
  const { result, events } = await hostileRun(out.path);
  const b = runBundle(result, promptsFromEvents(events));
  await t.step("three formats, no raw hostile text", () => assertSafe(b));
  await t.step("a verdict badge per attempt in the timeline and the attempt list", () => {
    assert.equal([...b["text/html"].matchAll(/data-verdict="FAIL"/g)].length, 2);
    assert.equal([...b["text/html"].matchAll(/data-verdict="PASS"/g)].length, 2);
  });
  await t.step("status, stop reason, tokens and the time chart", () => {
    assert.match(
      b["text/html"],
      /fx-pass">PASSED<\/span><span>stopped: <strong>passed<\/strong> · Passed on attempt 2/,
    );
    assert.match(b["text/html"], /400 prompt \+ 200 completion = 600/);
    assert.match(b["text/html"], /<svg [^>]*role="img"[^>]*><title>Time breakdown of run /);
  });
  await t.step("the last attempt is open, earlier ones closed", () => {
    assert.match(b["text/html"], /<details class="fx-details"><summary><strong>Attempt 1<\/strong>/);
    assert.match(b["text/html"], /<details class="fx-details" open><summary><strong>Attempt 2<\/strong>/);
  });
  await t.step("the prompts of both personas are there", () => {
    assert.equal([...b["text/html"].matchAll(/<summary>Prompt: /g)].length, 4);
  });
  await t.step("the task, its checks included, is escaped too", () => {
    assert.ok(b["text/html"].includes(`Also: ${ESCAPED}`));
    assert.match(
      b["text/html"],
      /<div class="fx-muted">checks<\/div><pre class="fx-pre">\{\n {2}&quot;stdoutContains&quot;/,
    );
  });
});

Deno.test("Rich displays through the Jupyter symbol and prints as plain text", () => {
  let calls = 0;
  const rich = new Rich(() => ({
    "text/html": "<b>x</b>",
    "text/markdown": "**x**",
    "text/plain": `x${++calls}`,
  }));
  assert.equal(JUPYTER_DISPLAY, Symbol.for("Jupyter.display"));
  assert.equal(rich[JUPYTER_DISPLAY]()["text/plain"], "x1");
  assert.equal(String(rich), "x2", "built again on each display");
});
