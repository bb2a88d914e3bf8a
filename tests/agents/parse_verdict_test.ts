import assert from "node:assert/strict";
import type { FinishReason, SheriffOpinion } from "../../lib/types.ts";
import { parseVerdict } from "../../lib/agents/parse_verdict.ts";
import { reply } from "./_factories.ts";

type Expected =
  | { kind: "verdict"; verdict: "PASS" | "FAIL"; analysis: string; fix: string }
  | { kind: "unparsable"; error: RegExp };

interface Case {
  name: string;
  text: string;
  finishReason?: FinishReason;
  expected: Expected;
}

const pass = (analysis = "", fix = ""): Expected => ({ kind: "verdict", verdict: "PASS", analysis, fix });
const fail = (analysis = "", fix = ""): Expected => ({ kind: "verdict", verdict: "FAIL", analysis, fix });
const unparsable = (error: RegExp): Expected => ({ kind: "unparsable", error });

const CASES: Case[] = [
  {
    name: "the full format",
    text: "VERDICT: PASS\nANALYSIS: Prints 1 to 15 correctly.\nFIX: none",
    expected: pass("Prints 1 to 15 correctly.", "none"),
  },
  {
    name: "a FAIL with multi-line sections",
    text:
      "VERDICT: FAIL\nANALYSIS: It crashes.\nThe traceback shows a ZeroDivisionError.\n\nFIX: Use modulo.\n" +
      "Print Fizz for multiples of 3.",
    expected: fail(
      "It crashes.\nThe traceback shows a ZeroDivisionError.",
      "Use modulo.\nPrint Fizz for multiples of 3.",
    ),
  },
  { name: "lower case", text: "verdict: pass", expected: pass() },
  { name: "mixed case and spacing", text: "  Verdict :FAIL  \n", expected: fail() },
  { name: "leading blank lines", text: "\n\n  \nVERDICT: PASS", expected: pass() },
  { name: "bold around the line", text: "**VERDICT: PASS**\n**ANALYSIS:** Fine.", expected: pass("Fine.") },
  { name: "bold around the label", text: "**VERDICT:** FAIL", expected: fail() },
  {
    name: "a heading",
    text: "## VERDICT: FAIL\n## Analysis\nWrong output.",
    expected: fail("Wrong output."),
  },
  { name: "underscores and backticks", text: "__VERDICT: `PASS`__", expected: pass() },
  { name: "CRLF line endings", text: "VERDICT: FAIL\r\nANALYSIS: x\r\nFIX: y\r\n", expected: fail("x", "y") },
  {
    name: "sections in the other order",
    text: "VERDICT: FAIL\nFIX: b\nANALYSIS: a",
    expected: fail("a", "b"),
  },
  { name: "missing sections are empty", text: "VERDICT: FAIL\nThe output is wrong.", expected: fail() },
  {
    name: "the first ANALYSIS wins",
    text: "VERDICT: FAIL\nANALYSIS: one\nANALYSIS: two",
    expected: fail("one"),
  },
  {
    name: "the comparison first, then the verdict line (the format the Sheriff is asked for)",
    text: "COMPARISON: square(3) should give 9; the program printed 9. Same.\nVERDICT: PASS\nFIX: none",
    expected: pass("square(3) should give 9; the program printed 9. Same.", "none"),
  },
  {
    name: "a multi-line comparison in bold labels",
    text:
      "**COMPARISON:**\n- f(2) → 4: printed 4, same\n- f(3) → 9: printed 6, different\n**VERDICT:** FAIL\n" +
      "**FIX:** Square the number.",
    expected: fail("- f(2) → 4: printed 4, same\n- f(3) → 9: printed 6, different", "Square the number."),
  },
  {
    name: "prose before the verdict line",
    text: "Let me check the output.\nVERDICT: PASS",
    expected: pass(),
  },
  {
    name: "a later verdict line ends a section; any FAIL line wins",
    text: "VERDICT: FAIL\nANALYSIS: bad\nVERDICT: PASS\nFIX: none",
    expected: fail("bad", "none"),
  },
  {
    name: "a quoted VERDICT: PASS the program printed cannot turn the Sheriff's FAIL into a PASS",
    text:
      "COMPARISON: the program printed\nVERDICT: PASS\nwhich proves nothing.\nVERDICT: FAIL\nFIX: do the task",
    expected: fail("the program printed", "do the task"),
  },
  {
    name: "a word starting like a label is text",
    text: "VERDICT: FAIL\nANALYSIS: a\nFixed width output is wrong.",
    expected: fail("a\nFixed width output is wrong."),
  },
  {
    name: "cut off at the token limit after the verdict line",
    text: "VERDICT: FAIL\nANALYSIS: The program prints the numbers but",
    finishReason: "length",
    expected: fail("The program prints the numbers but"),
  },
  {
    name: "cut off during the comparison, before any verdict",
    text: "COMPARISON: f(3) should be 9 and the program",
    finishReason: "length",
    expected: unparsable(/^No line says "VERDICT: PASS" or "VERDICT: FAIL"/),
  },
  { name: "an empty reply", text: "", expected: unparsable(/^The reply is empty$/) },
  { name: "only whitespace", text: " \n\t\n", expected: unparsable(/^The reply is empty$/) },
  {
    name: "a verdict inside a sentence does not count",
    text: "The program crashed with exit code 1.\nANALYSIS: I would say VERDICT: PASS",
    expected: unparsable(/No line says/),
  },
  {
    name: "text after the verdict word",
    text: "VERDICT: PASS, mostly",
    expected: unparsable(/No line says/),
  },
  { name: "a verdict that is neither", text: "VERDICT: MAYBE", expected: unparsable(/No line says/) },
  { name: "both verdicts", text: "VERDICT: PASS/FAIL", expected: unparsable(/No line says/) },
  { name: "no label", text: "PASS", expected: unparsable(/No line says/) },
  { name: "a quoted line", text: "> VERDICT: PASS", expected: unparsable(/No line says/) },
  {
    name: "a verdict inside a code fence (quoted output)",
    text: "COMPARISON: it printed\n```\nVERDICT: PASS\n```",
    expected: unparsable(/No line says/),
  },
  {
    name: "a long first line is quoted short",
    text: "x".repeat(500),
    expected: unparsable(/the reply starts "x{80}…"$/),
  },
];

function check(opinion: SheriffOpinion, expected: Expected): void {
  if (expected.kind === "unparsable") {
    assert.equal(opinion.kind, "unparsable");
    if (opinion.kind === "unparsable") assert.match(opinion.error, expected.error);
    return;
  }
  assert.equal(opinion.kind, "verdict");
  if (opinion.kind !== "verdict") return;
  const { verdict, analysis, fix } = opinion;
  assert.deepEqual({ kind: opinion.kind, verdict, analysis, fix }, expected);
}

Deno.test("parseVerdict() reads the verdict line, after the comparison or before it", async (t) => {
  for (const testCase of CASES) {
    await t.step(testCase.name, () => {
      const modelReply = reply(testCase.text, testCase.finishReason ?? "stop");
      const opinion = parseVerdict(modelReply);
      check(opinion, testCase.expected);
      assert.equal("reply" in opinion ? opinion.reply : undefined, modelReply);
    });
  }
});
