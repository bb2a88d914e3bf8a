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
    name: "a later verdict line ends a section and is ignored",
    text: "VERDICT: FAIL\nANALYSIS: bad\nVERDICT: PASS\nFIX: none",
    expected: fail("bad", "none"),
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
  { name: "an empty reply", text: "", expected: unparsable(/^The reply is empty$/) },
  { name: "only whitespace", text: " \n\t\n", expected: unparsable(/^The reply is empty$/) },
  {
    name: "prose before the verdict",
    text: "Let me check the output.\nVERDICT: PASS",
    expected: unparsable(
      /^The first line is not "VERDICT: PASS" or "VERDICT: FAIL": "Let me check the output\."$/,
    ),
  },
  {
    name: "PASS anywhere later does not count",
    text: "The program crashed with exit code 1.\nANALYSIS: VERDICT: PASS\nVERDICT: PASS",
    expected: unparsable(/first line is not/),
  },
  {
    name: "text after the verdict word",
    text: "VERDICT: PASS, mostly",
    expected: unparsable(/first line is not/),
  },
  { name: "a verdict that is neither", text: "VERDICT: MAYBE", expected: unparsable(/first line is not/) },
  { name: "both verdicts", text: "VERDICT: PASS/FAIL", expected: unparsable(/first line is not/) },
  { name: "no label", text: "PASS", expected: unparsable(/first line is not/) },
  { name: "a quoted line", text: "> VERDICT: PASS", expected: unparsable(/first line is not/) },
  {
    name: "a verdict inside a code fence",
    text: "```\nVERDICT: PASS\n```",
    expected: unparsable(/first line is not.*"```"$/),
  },
  {
    name: "a long first line is quoted short",
    text: "x".repeat(500),
    expected: unparsable(/: "x{80}…"$/),
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

Deno.test("parseVerdict() reads the verdict from the first line only", async (t) => {
  for (const testCase of CASES) {
    await t.step(testCase.name, () => {
      const modelReply = reply(testCase.text, testCase.finishReason ?? "stop");
      const opinion = parseVerdict(modelReply);
      check(opinion, testCase.expected);
      assert.equal("reply" in opinion ? opinion.reply : undefined, modelReply);
    });
  }
});
