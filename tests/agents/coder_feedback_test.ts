import assert from "node:assert/strict";
import { coderMessages } from "../../lib/agents/prompts.ts";
import { withShortPaths } from "../../lib/agents/_coder_feedback.ts";
import type { Attempt } from "../../lib/types.ts";
import { attempt, captured, check, codeDraft, exited, FIZZ_TASK, opinion } from "./_factories.ts";

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
  return coderMessages(FIZZ_TASK, [previous]).at(-1)!.content;
}

Deno.test("coderMessages() shows paths into the attempt's work dir as plain file names", async (t) => {
  const text = feedback(crashed());
  await t.step("in the program's output", () => {
    assert.ok(text.includes('File "main.py", line 4, in <module>'));
  });
  await t.step("in a check detail whose path was already cut at its start", () => {
    const detail = withShortPaths(crashed()).checks[0].detail;
    assert.equal(detail, 'test_main.py exited with code 1: ⏎ main.py"');
  });
  await t.step("and nowhere else: other paths stay as they are", () => {
    assert.ok(!text.includes("attempt-1/work"));
    assert.ok(withShortPaths(crashed()).exec?.kind === "exited");
    const stderr = (withShortPaths(crashed()).exec as { stderr: { text: string } }).stderr.text;
    assert.ok(stderr.includes('"/usr/lib/python3.11/json/decoder.py"'));
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

Deno.test("coderMessages() picks the one decisive fact of a failed attempt", async (t) => {
  await t.step("a crash: the frame in the program, its source line and the exception", () => {
    const text = feedback(crashed({
      exec: exited(
        1,
        "",
        [
          "Traceback (most recent call last):",
          '  File "main.py", line 9, in <module>',
          "    print(mean([]))",
          '  File "main.py", line 3, in mean',
          "    return sum(xs) / len(xs)",
          "ZeroDivisionError: division by zero",
        ].join("\n"),
      ),
    }));
    assert.match(
      text,
      /^Attempt 1 failed\. The program crashed \(exit code 1\):\n```text\n {2}File "main\.py", line 3, in mean\n {4}return sum\(xs\) \/ len\(xs\)\nZeroDivisionError: division by zero\n```/,
    );
  });
  await t.step("a crash in a library: the last frame in the program, then the exception", () => {
    const text = feedback(crashed());
    assert.match(
      text,
      /```text\n {2}File "main\.py", line 4, in <module>\nNameError: name 'math' is not defined\n```/,
    );
  });
  await t.step("a demo crash after the functions passed the test check", () => {
    const text = feedback(crashed({ checks: [check("test", true, "test_main.py exited with code 0")] }));
    assert.match(
      text,
      /^Attempt 1 failed\. Your functions pass the checks; your demo block crashes \(exit code 1\):/,
    );
    assert.match(text, /Fix the demo block or remove it; keep the functions as they are\./);
  });
  await t.step("a wrong result: the failing example, expected against actual", () => {
    const detail =
      "test_main.py exited with code 1:\nexample 2 of 3 failed: square(3)\n  expected: 9\n  got:      6\n" +
      "1 of 3 examples failed";
    const text = feedback(crashed({ exec: exited(0, "6\n"), checks: [check("test", false, detail)] }));
    assert.match(
      text,
      /^Attempt 1 failed\. The check ran your functions and one result is wrong:\n```text\nexample 2 of 3 failed: square\(3\)\n {2}expected: 9\n {2}got: {6}6\n/,
    );
    assert.match(
      text,
      /\nSo `square\(3\)` must give 9, but your function gives 6\. Fix the function for this case\./,
    );
  });
  await t.step("a wrong result and a crash: the wrong result leads, the crash is mentioned", () => {
    const detail =
      "test_main.py exited with code 1:\nexample 1 of 1 failed: square(3)\n  expected: 9\n  got:      6\n" +
      "1 of 1 examples failed";
    const stderr =
      'Traceback (most recent call last):\n  File "main.py", line 5, in <module>\n    assert square(3) == 9\n' +
      "AssertionError";
    const text = feedback(crashed({ exec: exited(1, "", stderr), checks: [check("test", false, detail)] }));
    assert.match(text, /^Attempt 1 failed\. The check ran your functions and one result is wrong:/);
    assert.match(text, /\(The program itself also exited with code 1: AssertionError\.\)/);
  });
  await t.step("a wrong stdout: the first differing line as a small diff", () => {
    const wrong = "1\n2\n3\n4\nBuzz\nFizz\n7\n8\nFizz\nBuzz\n11\nFizz\n13\n14\nFizzBuzz\n";
    const text = feedback(
      crashed({ exec: exited(0, wrong), checks: [check("stdout", false, "expected …")] }),
    );
    assert.match(
      text,
      /The output is not what the task asks for:\n```diff\nstdout line 3:\n- expected: "Fizz"\n\+ got: {6}"3"\n\(expected 15 lines, got 15\)\n```/,
    );
  });
  await t.step("a timeout", () => {
    const text = feedback(crashed({ exec: { ...timedOutRun(), afterMs: 10_000 }, checks: [] }));
    assert.match(text, /^Attempt 1 failed\. The program did not finish: it was stopped after 10\.0 s\./);
  });
  await t.step("clean facts and a FAIL from the Sheriff: its analysis and what the program printed", () => {
    const text = feedback(crashed({
      exec: exited(0, "[1, 4, 5]\n"),
      checks: [],
      sheriff: opinion(
        "FAIL",
        "The example expects [3, 5, 7] but it printed [1, 4, 5].",
        "Sort the odd numbers.",
      ),
    }));
    assert.match(
      text,
      /^Attempt 1 failed\. The program ran without errors, but the reviewer says it does not do the task: The example expects \[3, 5, 7\]/,
    );
    assert.match(text, /It printed:\n```text\n\[1, 4, 5\]\n```/);
    assert.match(text, /The reviewer's fix request: Sort the odd numbers\./);
  });
});

function timedOutRun() {
  return { kind: "timed_out" as const, afterMs: 60_000, stdout: captured(""), stderr: captured("") };
}
