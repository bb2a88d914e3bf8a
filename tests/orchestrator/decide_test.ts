import assert from "node:assert/strict";
import { decide } from "../../lib/orchestrator/decide.ts";
import { errorSignature, normaliseError, stagnationReason } from "../../lib/orchestrator/stagnation.ts";
import type { Attempt, ExecResult, SheriffOpinion } from "../../lib/types.ts";
import { reply } from "../_fakes.ts";

const out = (text = "") => ({ text, bytes: text.length, truncated: false });
const exited = (code: number, stderr = ""): ExecResult => ({
  kind: "exited",
  code,
  stdout: out(),
  stderr: out(stderr),
  ms: 1,
});
const said = (verdict: "PASS" | "FAIL"): SheriffOpinion => ({
  kind: "verdict",
  verdict,
  analysis: "a",
  fix: "f",
  reply: reply(""),
});

Deno.test("decide() needs clean facts and a Sheriff PASS", async (t) => {
  await t.step("both: passed", () => {
    assert.deepEqual(decide(exited(0), [], said("PASS")), { passed: true, overruled: false, reasons: [] });
  });
  await t.step("a crash overrules PASS", () => {
    const v = decide(exited(2), [], said("PASS"));
    assert.equal(v.passed, false);
    assert.equal(v.overruled, true);
    assert.deepEqual(v.reasons, ["the program exited with code 2"]);
  });
  await t.step("a demo crash after the test check passed overrules PASS, and is named as such", () => {
    const v = decide(exited(1), [{ name: "test", passed: true, detail: "ok" }], said("PASS"));
    assert.equal(v.passed, false);
    assert.equal(v.overruled, true);
    assert.deepEqual(v.reasons, [
      "the functions pass the test check, but the program's demo crashed (exit code 1)",
    ]);
  });
  await t.step("a crash with a failing test check is a plain crash", () => {
    const v = decide(exited(1), [{ name: "test", passed: false, detail: "bad" }], said("FAIL"));
    assert.equal(v.reasons[0], "the program exited with code 1");
  });
  await t.step("without a Sheriff, a demo crash still fails", () => {
    const skipped: SheriffOpinion = { kind: "skipped", reason: "no Sheriff" };
    const v = decide(exited(1), [{ name: "test", passed: true, detail: "ok" }], skipped, {
      sheriffRequired: false,
    });
    assert.equal(v.passed, false);
  });
  await t.step("a timeout overrules PASS", () => {
    const v = decide({ kind: "timed_out", afterMs: 1500, stdout: out(), stderr: out() }, [], said("PASS"));
    assert.equal(v.overruled, true);
    assert.match(v.reasons[0], /timed out after 1.5 s/);
  });
  await t.step("a failed check overrules PASS", () => {
    const v = decide(
      exited(0),
      [{ name: "stdout", passed: false, detail: "expected 200\ngot 3" }],
      said("PASS"),
    );
    assert.equal(v.overruled, true);
    assert.deepEqual(v.reasons, ["check stdout failed: expected 200"]);
  });
  await t.step("clean facts and FAIL: failed, not overruled", () => {
    const v = decide(exited(0), [], said("FAIL"));
    assert.equal(v.passed, false);
    assert.equal(v.overruled, false);
    assert.match(v.reasons[0], /Sheriff said FAIL/);
  });
  await t.step("an unparsable reply is never a PASS", () => {
    const v = decide(exited(0), [], { kind: "unparsable", error: "no verdict line", reply: reply("x") });
    assert.equal(v.passed, false);
    assert.match(v.reasons[0], /could not be parsed/);
  });
});

Deno.test("normaliseError() strips line numbers, addresses and paths", () => {
  const a = normaliseError('File "/tmp/factory-x1/work/main.py", line 12, in <module>\nobject at 0x7f3a9c');
  const b = normaliseError('File "/tmp/factory-y2/work/main.py", line 40, in <module>\nobject at 0x55aa01');
  assert.equal(a, b);
  assert.ok(!a.includes("12"));
});

function attempt(n: number, code: string, stderr: string): Attempt {
  const a: Attempt = {
    number: n,
    draft: { kind: "code", code, reply: reply("") },
    exec: exited(1, stderr),
    checks: [],
    sheriff: said("FAIL"),
    verdict: { passed: false, overruled: false, reasons: ["x"] },
    workDir: "/tmp/w",
    ms: 1,
  };
  a.signature = errorSignature(a);
  return a;
}

Deno.test("stagnationReason() sees the same error or the same script in a row", async (t) => {
  await t.step("same error, different scripts and lines", () => {
    const list = [1, 2, 3].map((n) => attempt(n, `x=${n}`, `line ${n}\nNameError: name 'y' is not defined`));
    assert.match(stagnationReason(list, 3)!, /same error/);
    assert.equal(stagnationReason(list.slice(1), 3), undefined);
  });
  await t.step("same script, different errors", () => {
    const list = [1, 2].map((n) => attempt(n, "print(1)", `Error${n}`));
    assert.match(stagnationReason(list, 2)!, /same script/);
  });
  await t.step("progress: different errors and scripts", () => {
    const list = [1, 2, 3].map((n) => attempt(n, `x=${n}`, `Error kind ${"abc"[n - 1]}`));
    assert.equal(stagnationReason(list, 3), undefined);
  });
});

Deno.test("newRunId() is a safe name even when the slug is cut at a dash", async () => {
  const { newRunId } = await import("../../lib/store/run_dir.ts");
  const id = newRunId({ name: "a".repeat(39) + "-tail" }, new Date("2026-11-25T13:45:01Z"));
  assert.match(id, /^20261125-134501-a{39}-[0-9a-f]{4}$/);
});
