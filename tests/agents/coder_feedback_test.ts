import assert from "node:assert/strict";
import { coderMessages } from "../../lib/agents/prompts.ts";
import { withShortPaths } from "../../lib/agents/_coder_feedback.ts";
import type { Attempt } from "../../lib/types.ts";
import { attempt, check, codeDraft, exited, FIZZ_TASK, opinion } from "./_factories.ts";

const WORK = "runs/20261125-150413-mbpp-82-d1cb/attempt-1/work";
const TRACEBACK = [
  "Traceback (most recent call last):",
  `  File "/work/main/${WORK}/main.py", line 4, in <module>`,
  '  File "/usr/lib/python3.11/json/decoder.py", line 337, in decode',
  "NameError: name 'math' is not defined",
].join("\n");

function crashed(fields: Partial<Attempt> = {}): Attempt {
  const base = attempt({
    draft: codeDraft("print(math.pi)"),
    exec: exited(1, "", TRACEBACK),
    checks: [
      check("test", false, `test_main.py exited with code 1: ⏎ …150413-mbpp-82-d1cb/attempt-1/work/main.py"`),
    ],
    reasons: [
      "the program exited with code 1",
      "the Sheriff said FAIL: The program crashed with a NameError.",
    ],
    sheriff: opinion("FAIL", "The program crashed with a NameError.", "Import math."),
  });
  return { ...base, workDir: WORK, ...fields };
}

function feedback(previous: Attempt): string {
  return coderMessages(FIZZ_TASK, previous).at(-1)!.content;
}

Deno.test("coderMessages() shows paths into the attempt's work dir as plain file names", async (t) => {
  const text = feedback(crashed());
  await t.step("in the program's output", () => {
    assert.ok(text.includes('File "main.py", line 4, in <module>'));
  });
  await t.step("in a check detail whose path was already cut at its start", () => {
    assert.ok(text.includes('test_main.py exited with code 1: ⏎ main.py"'));
  });
  await t.step("and nowhere else: other paths stay as they are", () => {
    assert.ok(!text.includes("attempt-1/work"));
    assert.ok(text.includes('"/usr/lib/python3.11/json/decoder.py"'));
  });
  await t.step("for an absolute work dir too", () => {
    const absolute = feedback(crashed({ workDir: `/work/main/${WORK}` }));
    assert.ok(absolute.includes('File "main.py", line 4'));
  });
});

Deno.test("withShortPaths() returns a shortened copy and leaves the attempt unchanged", () => {
  const original = crashed();
  const before = structuredClone(original);
  const short = withShortPaths(original);
  assert.deepEqual(original, before);
  assert.ok(short.exec?.kind === "exited");
  assert.ok(short.exec.stderr.text.includes('File "main.py", line 4'));
  assert.equal(short.exec.stderr.bytes, before.exec?.kind === "exited" ? before.exec.stderr.bytes : -1);
  assert.deepEqual(short.verdict.reasons, before.verdict.reasons);
});

Deno.test("coderMessages() gives the Sheriff's analysis once, not also as a reason", async (t) => {
  await t.step("the one-line echo among the reasons is left out when the analysis follows", () => {
    const text = feedback(crashed());
    assert.ok(!text.includes("the Sheriff said FAIL"));
    assert.equal(text.split("The program crashed with a NameError.").length - 1, 1);
    assert.ok(text.includes("- the program exited with code 1"));
  });
  await t.step("it stays when the Sheriff gave no analysis", () => {
    const text = feedback(crashed({ sheriff: opinion("FAIL", "", "Import math.") }));
    assert.ok(text.includes("- the Sheriff said FAIL: The program crashed with a NameError."));
  });
});
