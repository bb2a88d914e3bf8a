import assert from "node:assert/strict";
import type { Draft, FinishReason, Language } from "../../lib/types.ts";
import { extractCode } from "../../lib/agents/extract_code.ts";
import { reply } from "./_factories.ts";

type Expected =
  | { kind: "code"; code: string }
  | { kind: "truncated"; partial: string }
  | { kind: "no_code" };

interface Case {
  name: string;
  text: string;
  language?: Language;
  finishReason?: FinishReason;
  expected: Expected;
}

const CASES: Case[] = [
  {
    name: "a python block",
    text: "```python\nprint(1)\n```",
    expected: { kind: "code", code: "print(1)\n" },
  },
  { name: "a py block", text: "```py\nprint(1)\n```", expected: { kind: "code", code: "print(1)\n" } },
  {
    name: "a python3 block",
    text: "```python3\nprint(1)\n```",
    expected: { kind: "code", code: "print(1)\n" },
  },
  { name: "an untagged block", text: "```\nprint(1)\n```", expected: { kind: "code", code: "print(1)\n" } },
  { name: "a tilde fence", text: "~~~python\nprint(1)\n~~~", expected: { kind: "code", code: "print(1)\n" } },
  {
    name: "prose around the block",
    text: "Here is the program:\n\n```python\nprint(1)\n```\n\nIt prints 1.",
    expected: { kind: "code", code: "print(1)\n" },
  },
  {
    name: "a fence indented by three spaces, content de-indented",
    text: "   ```python\n   if True:\n       print(1)\n   ```",
    expected: { kind: "code", code: "if True:\n    print(1)\n" },
  },
  {
    name: "a fence indented by four spaces is not a fence",
    text: "    ```python\n    print(1)\n    ```",
    expected: { kind: "no_code" },
  },
  {
    name: "CRLF line endings",
    text: "```python\r\nprint(1)\r\nprint(2)\r\n```\r\n",
    expected: { kind: "code", code: "print(1)\nprint(2)\n" },
  },
  {
    name: "an info string with attributes",
    text: "```python title=main.py\nprint(1)\n```",
    expected: { kind: "code", code: "print(1)\n" },
  },
  {
    name: "a file name as the tag",
    text: "```main.py\nprint(1)\n```",
    expected: { kind: "code", code: "print(1)\n" },
  },
  {
    name: "blank lines around the code are dropped",
    text: "```python\n\n\nprint(1)\n\n\n```",
    expected: { kind: "code", code: "print(1)\n" },
  },
  {
    name: "a bash block and a text output block are skipped",
    text: "```bash\npython3 main.py\n```\n```python\nprint(1)\n```\nOutput:\n```text\n1\n```",
    expected: { kind: "code", code: "print(1)\n" },
  },
  {
    name: "only blocks for other languages",
    text: "```bash\necho 1\n```\n```javascript\nconsole.log(1)\n```",
    expected: { kind: "no_code" },
  },
  {
    name: "a tagged block wins over a longer untagged one",
    text: "```\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n```\n```python\nprint(1)\n```",
    expected: { kind: "code", code: "print(1)\n" },
  },
  {
    name: "several tagged blocks: the longest",
    text: "```python\nimport sys\nprint(sys.argv)\n```\nUsage:\n```python\nmain()\n```",
    expected: { kind: "code", code: "import sys\nprint(sys.argv)\n" },
  },
  {
    name: "several tagged blocks of equal length: the last",
    text: "```python\nprint(1)\n```\nBetter:\n```python\nprint(2)\n```",
    expected: { kind: "code", code: "print(2)\n" },
  },
  {
    name: "a longer fence keeps inner backtick lines as code",
    text: '````python\ns = """\n```\nnot the end\n```\n"""\nprint(s)\n````',
    expected: { kind: "code", code: 's = """\n```\nnot the end\n```\n"""\nprint(s)\n' },
  },
  {
    name: "a tilde fence is not closed by backticks",
    text: "~~~python\nprint('```')\n```\nprint(2)\n~~~",
    expected: { kind: "code", code: "print('```')\n```\nprint(2)\n" },
  },
  {
    name: "inline triple backticks are not a fence",
    text: "Use ```python print(1)``` to print.",
    expected: { kind: "no_code" },
  },
  { name: "no fence at all", text: "print(1)", expected: { kind: "no_code" } },
  { name: "an empty reply", text: "", expected: { kind: "no_code" } },
  { name: "an empty block", text: "```python\n\n```", expected: { kind: "no_code" } },
  {
    name: "an unclosed block at the token limit is truncated",
    text: "```python\nfor i in range(10):\n    print(",
    finishReason: "length",
    expected: { kind: "truncated", partial: "for i in range(10):\n    print(" },
  },
  {
    name: "an unclosed block cut right after its fence is truncated and empty",
    text: "Here:\n```python\n",
    finishReason: "length",
    expected: { kind: "truncated", partial: "" },
  },
  {
    name: "an unclosed block when the model stopped is code",
    text: "```python\nprint(1)\n",
    expected: { kind: "code", code: "print(1)\n" },
  },
  {
    name: "a closed block wins over an unclosed one at the token limit",
    text: "```python\nprint(1)\n```\nExample output:\n```\n1\n1\n1\n",
    finishReason: "length",
    expected: { kind: "code", code: "print(1)\n" },
  },
  {
    name: "an unclosed block for another language at the token limit is no code",
    text: "```bash\npython3 main.py\n",
    finishReason: "length",
    expected: { kind: "no_code" },
  },
  {
    name: "no fence at the token limit is no code",
    text: "Let me think about this step by step",
    finishReason: "length",
    expected: { kind: "no_code" },
  },
  {
    name: "a typescript block",
    text: "```typescript\nconsole.log(1);\n```",
    language: "typescript",
    expected: { kind: "code", code: "console.log(1);\n" },
  },
  {
    name: "a ts block",
    text: "```ts\nconsole.log(1);\n```",
    language: "typescript",
    expected: { kind: "code", code: "console.log(1);\n" },
  },
  {
    name: "a javascript block for a typescript task",
    text: "```js\nconsole.log(1);\n```",
    language: "typescript",
    expected: { kind: "code", code: "console.log(1);\n" },
  },
  {
    name: "a python block for a typescript task is skipped",
    text: "```python\nprint(1)\n```",
    language: "typescript",
    expected: { kind: "no_code" },
  },
  {
    name: "template literals with backticks inside a longer fence",
    text: "````ts\nconsole.log(`\n```\n`);\n````",
    language: "typescript",
    expected: { kind: "code", code: "console.log(`\n```\n`);\n" },
  },
];

function summary(draft: Draft): Expected {
  switch (draft.kind) {
    case "code":
      return { kind: "code", code: draft.code };
    case "truncated":
      return { kind: "truncated", partial: draft.partial };
    case "no_code":
      return { kind: "no_code" };
  }
}

Deno.test("extractCode() finds the program in a reply", async (t) => {
  for (const testCase of CASES) {
    await t.step(testCase.name, () => {
      const modelReply = reply(testCase.text, testCase.finishReason ?? "stop");
      const draft = extractCode(modelReply, testCase.language ?? "python");
      assert.deepEqual(summary(draft), testCase.expected);
      assert.equal(draft.reply, modelReply);
    });
  }
});
