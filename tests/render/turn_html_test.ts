import assert from "node:assert/strict";
import { execHtml } from "../../lib/render/turn_html.ts";
import type { Attempt } from "../../lib/types.ts";
import { reply } from "../_fakes.ts";

const CAPTURED = { text: "<out>", bytes: 5, truncated: false };

function attempt(exec: Attempt["exec"]): Attempt {
  return {
    number: 1,
    draft: { kind: "code", code: "print(1)", reply: reply("x") },
    exec,
    checks: [],
    sheriff: { kind: "skipped", reason: "test" },
    verdict: { passed: false, overruled: false, reasons: [] },
    workDir: "/w",
    ms: 1,
  };
}

Deno.test("execHtml() shows factory's notes on a run apart from its output, escaped", () => {
  const html = execHtml(attempt({
    kind: "exited",
    code: 137,
    stdout: CAPTURED,
    stderr: CAPTURED,
    ms: 10,
    notes: [{ kind: "limit", text: "the run reached its memory limit of 256 MiB <b>" }],
  })).toString();
  assert.match(
    html,
    /<p class="fx-notes">sandbox: the run reached its memory limit of 256 MiB &lt;b&gt;<\/p>/,
  );
  assert.ok(html.indexOf("fx-notes") < html.indexOf("&lt;out&gt;"), "before the output panes");
  const plain = execHtml(attempt({ kind: "exited", code: 0, stdout: CAPTURED, stderr: CAPTURED, ms: 10 }));
  assert.ok(!plain.toString().includes("fx-notes"));
});
