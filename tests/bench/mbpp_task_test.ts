import assert from "node:assert/strict";
import { deriveExamples } from "../../lib/task/derive_checks.ts";
import { expectationLine } from "../../lib/agents/_expectations.ts";
import {
  functionSignature,
  mbppBenchTask,
  mbppDescription,
  mbppExampleDescription,
  mbppPlainPrompt,
  splitTopLevel,
  topLevelDefs,
  visibleTest,
} from "../../lib/bench/mbpp_task.ts";
import { loadMbpp, type MbppRecord } from "../../lib/bench/mbpp.ts";
import { armRun, ARMS } from "../../lib/bench/arms.ts";
import { coderMessages, sheriffMessages } from "../../lib/agents/prompts.ts";
import type { Attempt, ChatMessage } from "../../lib/types.ts";
import { reply } from "../_fakes.ts";
import { REMOVE_OCC } from "./_fixtures.ts";
import { NO_MBPP } from "./_mbpp_data.ts";

Deno.test("splitTopLevel() splits at commas outside brackets and strings", () => {
  assert.deepEqual(splitTopLevel(` [1, 2], "a,b", {'k': (3, 4)} , x`), [
    "[1, 2]",
    `"a,b"`,
    "{'k': (3, 4)}",
    "x",
  ]);
  assert.deepEqual(splitTopLevel(""), []);
  assert.deepEqual(splitTopLevel(`'it\\'s, fine', 2`), [`'it\\'s, fine'`, "2"]);
});

Deno.test("topLevelDefs() finds top-level functions only, with their parameter text", () => {
  const code = "import math\ndef outer(a, b=(1, 2)):\n    def inner(c):\n        return c\n    return a\n" +
    "class K:\n    def method(self): pass\ndef other():\n    pass";
  assert.deepEqual([...topLevelDefs(code)], [["outer", "a, b=(1, 2)"], ["other", ""]]);
});

Deno.test("functionSignature()", async (t) => {
  await t.step("names the function the first assert calls, with the solution's parameters", () => {
    assert.deepEqual(functionSignature(REMOVE_OCC), { name: "remove_Occ", params: "s, ch" });
  });
  await t.step("skips calls of other functions in the assert (set, math.isclose)", () => {
    const record: MbppRecord = {
      ...REMOVE_OCC,
      code: "def helper(x):\n  return x\ndef shared(a,b):\n  return helper(a)",
      tests: ["assert set(shared((3, 4),(5, 4))) == set((4,))"],
    };
    assert.deepEqual(functionSignature(record), { name: "shared", params: "a, b" });
  });
  await t.step(
    "falls back to arg1, arg2, ... when the solution takes fewer parameters than the call passes",
    () => {
      const record: MbppRecord = {
        ...REMOVE_OCC,
        code: "def f(*args):\n  return 1",
        tests: ["assert f(1, [2, 3]) == 1"],
      };
      assert.deepEqual(functionSignature(record), { name: "f", params: "arg1, arg2" });
    },
  );
  await t.step("throws a RangeError when the first assert calls none of the solution's functions", () => {
    assert.throws(() => functionSignature({ ...REMOVE_OCC, tests: ["assert len('ab') == 2"] }), RangeError);
  });
});

Deno.test("mbppDescription() is the prompt and the signature, without any assert", () => {
  const text = mbppDescription(REMOVE_OCC);
  assert.ok(text.startsWith(REMOVE_OCC.prompt));
  assert.ok(text.includes("    def remove_Occ(s, ch)"));
  assert.ok(!text.includes("assert"));
  assert.ok(!text.includes("heo"));
});

Deno.test("visibleTest() imports the script's functions and runs only the first assert", () => {
  const record = { ...REMOVE_OCC, testImports: ["import math"] };
  assert.equal(visibleTest(record), `from main import *\nimport math\n${REMOVE_OCC.tests[0]}`);
});

/** Every message the loop could send for `record` in `arm`: first turns and a retry of each persona. */
function allPrompts(record: MbppRecord, armIndex: number): ChatMessage[] {
  const { task } = armRun(mbppBenchTask(record), ARMS[armIndex]);
  const exec = {
    kind: "exited" as const,
    code: 1,
    ms: 5,
    stdout: { text: "", bytes: 0, truncated: false },
    stderr: { text: "AssertionError", bytes: 14, truncated: false },
  };
  const previous: Attempt = {
    number: 1,
    draft: { kind: "code", code: "print(1)", reply: reply("```python\nprint(1)\n```") },
    exec,
    checks: [],
    sheriff: { kind: "skipped", reason: "test" },
    verdict: { passed: false, overruled: false, reasons: ["the program exited with code 1"] },
    workDir: "/tmp/x",
    ms: 1,
  };
  return [
    ...coderMessages(task),
    ...coderMessages(task, [previous]),
    ...sheriffMessages(task, { code: "print(1)", exec, checks: [] }),
  ];
}

/** Whether `text` shows the assert's expression (or the given part of it) verbatim. */
function shows(text: string, assertion: string): boolean {
  return text.includes(assertion.replace(/^assert\s+/, ""));
}

/** The example an assert statement is. */
function assertExample(assertion: string) {
  const [example] = deriveExamples(assertion, "python");
  assert.ok(example, `no example in ${assertion}`);
  return example;
}

/** The assert as the Coder's expectation line (`f(x) → y`). */
function expectation(assertion: string): string {
  const example = assertExample(assertion);
  return expectationLine(example, "python")!;
}

Deno.test({
  name:
    "mbppBenchTask() never shows a hidden assert, for every MBPP task and arm; the first only where it should",
  ignore: NO_MBPP,
  async fn() {
    const records = await loadMbpp();
    for (const record of records) {
      const bench = mbppBenchTask(record);
      for (const [i, arm] of ARMS.entries()) {
        const text = arm.raw ? bench.plainPrompt : allPrompts(record, i).map((m) => m.content).join("\n");
        const [first, ...hidden] = record.tests;
        for (const assertion of hidden.filter((a) => a !== first)) {
          assert.ok(!shows(text, assertion), `task ${record.taskId} ${arm.name} shows ${assertion}`);
          assert.ok(
            !text.includes(expectation(assertion)),
            `task ${record.taskId} ${arm.name} shows ${assertion}`,
          );
        }
        // The task text may cut the middle of a long example (a few tasks); its end is always there.
        const visible = text.includes(expectation(first).slice(-50));
        assert.equal(visible, arm.checks !== "none", `task ${record.taskId} ${arm.name}: first assert`);
      }
    }
  },
});

Deno.test({
  name:
    "mbppBenchTask(): the loop+derived arm derives exactly the first assert from the text, for every task",
  ignore: NO_MBPP,
  async fn() {
    const arm = ARMS.find((a) => a.name === "loop+derived")!;
    for (const record of await loadMbpp()) {
      const { task } = armRun(mbppBenchTask(record), arm);
      const examples = task.derived?.examples.filter((e) => e.kind !== "setup") ?? [];
      assert.deepEqual(examples, [assertExample(record.tests[0])], `task ${record.taskId}`);
    }
  },
});

Deno.test("mbppPlainPrompt() asks plainly: the prompt and the signature, no demo, no assert", () => {
  const text = mbppPlainPrompt(REMOVE_OCC);
  assert.equal(
    text,
    `${REMOVE_OCC.prompt}\n\nWrite it as a Python function with this signature:\n\n    def remove_Occ(s, ch)`,
  );
});

Deno.test("mbppExampleDescription() writes the first assert, after its imports, as an example block", () => {
  const text = mbppExampleDescription({ ...REMOVE_OCC, testImports: ["import math"] });
  assert.ok(text.startsWith(mbppDescription(REMOVE_OCC)));
  assert.ok(text.endsWith(`\n\nExample:\n\n    import math\n    ${REMOVE_OCC.tests[0]}`));
});

Deno.test("mbppBenchTask() keeps every assert as ground truth and the first as the visible check", () => {
  const bench = mbppBenchTask({ ...REMOVE_OCC, testImports: ["import re"] });
  assert.equal(bench.id, "11");
  assert.equal(bench.task.name, "mbpp-11");
  assert.deepEqual(bench.task.checks, {});
  assert.deepEqual(bench.truth, { kind: "asserts", imports: ["import re"], asserts: REMOVE_OCC.tests });
  assert.deepEqual(bench.visibleChecks, { test: `from main import *\nimport re\n${REMOVE_OCC.tests[0]}` });
});
