import assert from "node:assert/strict";
import type { Example, Task } from "../../lib/types.ts";
import {
  deriveExamples,
  exampleCount,
  examplesTestProgram,
  readTestExamples,
  withDerivedChecks,
} from "../../lib/task/derive_checks.ts";

const py = (text: string) => deriveExamples(text, "python");
const ts = (text: string) => deriveExamples(text, "typescript");
const equal = (actual: string, expected: string): Example => ({ kind: "equal", actual, expected });
const shows = (source: string, output: string): Example => ({ kind: "shows", source, output });

Deno.test("deriveExamples() reads Python doctest sessions", async (t) => {
  await t.step("prompt lines and the output below them", () => {
    assert.deepEqual(py("Square a number.\n\n>>> square(3)\n9\n>>> square(-2)\n4\n"), [
      shows("square(3)", "9"),
      shows("square(-2)", "4"),
    ]);
  });
  await t.step("inside a function's docstring, indented, with the closing quotes", () => {
    const text =
      'def add(a, b):\n    """Return the sum.\n\n    >>> add(2, 3)\n    5\n    >>> add("a", "b")\n' +
      '    \'ab\'\n    """\n';
    assert.deepEqual(py(text), [shows("add(2, 3)", "5"), shows('add("a", "b")', "'ab'")]);
  });
  await t.step("output ending on the docstring's closing line", () => {
    assert.deepEqual(py('    >>> half(8)\n    4"""'), [shows("half(8)", "4")]);
  });
  await t.step("continuation lines and several output lines", () => {
    assert.deepEqual(py(">>> show([1,\n... 2])\n1\n2\n"), [shows("show([1,\n2])", "1\n2")]);
  });
  await t.step("<BLANKLINE> is an empty output line", () => {
    assert.deepEqual(py(">>> gap()\na\n<BLANKLINE>\nb\n"), [shows("gap()", "a\n\nb")]);
  });
  await t.step("an expected exception by its name", () => {
    const text =
      ">>> divide(1, 0)\nTraceback (most recent call last):\n  ...\nZeroDivisionError: division by zero\n";
    assert.deepEqual(py(text), [{ kind: "raises", source: "divide(1, 0)", error: "ZeroDivisionError" }]);
  });
  await t.step("assignments and imports without output are setup, asserts are examples", () => {
    assert.deepEqual(
      py(">>> import math\n>>> xs = [3, 1]\n>>> assert total(xs) == 4\n>>> sort(xs)\n[1, 3]\n"),
      [
        { kind: "setup", source: "import math" },
        { kind: "setup", source: "xs = [3, 1]" },
        equal("total(xs)", "4"),
        shows("sort(xs)", "[1, 3]"),
      ],
    );
  });
  await t.step("inside a fenced block", () => {
    assert.deepEqual(py("```python\n>>> f(1)\n2\n```\n"), [shows("f(1)", "2")]);
  });
});

Deno.test("deriveExamples() reads Python asserts", async (t) => {
  await t.step("a line of prose on its own, and an inline code span", () => {
    assert.deepEqual(
      py(
        "Remove a char.\nassert remove_occ('hello', 'l') == 'heo'\nOr `assert remove_occ('aa', 'a') == ''`.",
      ),
      [equal("remove_occ('hello', 'l')", "'heo'"), equal("remove_occ('aa', 'a')", "''")],
    );
  });
  await t.step("an indented example block, as MBPP's loop+derived arm writes it", () => {
    assert.deepEqual(py("Example:\n\n    assert square_perimeter(10) == 40\n"), [
      equal("square_perimeter(10)", "40"),
    ]);
  });
  await t.step("a fenced block of examples with its setup", () => {
    const text = "```python\nfrom solution import *\nxs = [3, 1]\nassert sort_it(xs) == [1, 3]\n" +
      "assert not is_empty(xs)\nassert is_sorted(sort_it(xs))\n```";
    assert.deepEqual(py(text), [
      { kind: "setup", source: "from solution import *" },
      { kind: "setup", source: "xs = [3, 1]" },
      equal("sort_it(xs)", "[1, 3]"),
      { kind: "true", condition: "is_empty(xs)", negated: true },
      { kind: "true", condition: "is_sorted(sort_it(xs))", negated: false },
    ]);
  });
  await t.step("a multi-line assert, with a message and a sentence's full stop", () => {
    assert.deepEqual(py("assert merge([1, 3],\n             [2]) == [1, 2, 3], 'merged'"), [
      equal("merge([1, 3],\n             [2])", "[1, 2, 3]"),
    ]);
    assert.deepEqual(py("For example: assert f(2) == g(3).\n".replace("For example: ", "")), [
      equal("f(2)", "g(3)"),
    ]);
  });
  await t.step("comparisons that are not a plain equality stay whole", () => {
    assert.deepEqual(py("assert f(3) == 9 and f(4) == 16"), [
      { kind: "true", condition: "f(3) == 9 and f(4) == 16", negated: false },
    ]);
    assert.deepEqual(py("assert abs(area(2) - 12.56) < 0.01"), [
      { kind: "true", condition: "abs(area(2) - 12.56) < 0.01", negated: false },
    ]);
    assert.deepEqual(py("assert set(common([1, 2], [2])) == set([2])"), [
      equal("set(common([1, 2], [2]))", "set([2])"),
    ]);
  });
  await t.step("`# =>` comments", () => {
    assert.deepEqual(py("```python\nfib(10)  # => 55\nprint(greet('x'))  # => hi x\n```"), [
      shows("fib(10)", "55"),
      shows("print(greet('x'))", "hi x"),
    ]);
  });
});

Deno.test("deriveExamples() ignores what is not an example", async (t) => {
  const ignored: [string, string][] = [
    ["plain prose", "Write a function that sorts a list of numbers and returns it."],
    ["a sentence that starts like an assert", "assert that the list (xs) is sorted before you return it"],
    ["an assert without a call", "assert x == 3"],
    ["an assert inside a function body", "```python\ndef f(x):\n    assert check(x) > 0\n    return x\n```"],
    ["an assert in an indented body in prose", "Here:\n\n    def f(x):\n        assert valid(x)\n"],
    [
      "asserts in a block that also holds other code",
      "```python\ndata = load()\nprint(data)\nassert f(data) == 3\n```",
    ],
    ["asserts in a loop", "```python\nfor x in xs:\n    assert f(x) == x\n```"],
    ["a doctest without its result", ">>> f(3)\n\nand then more prose"],
    ["a doctest whose brackets never close", ">>> f([1, 2\n3\n"],
    ["an assert whose brackets never close", "assert f([1, 2) == 3"],
    ["an assert whose string never closes", "assert f('abc) == 3"],
    ["an empty `=>`", "```python\nf(3)  # =>\n```"],
    ["the wrong language's examples", "```ts\nassertEquals(add(2, 3), 5);\n```\nadd(1, 1) // => 2"],
    ["an assert in a string", 'print("assert f(1) == 2")'],
  ];
  for (const [name, text] of ignored) {
    await t.step(name, () => assert.deepEqual(py(text), []));
  }
});

Deno.test("deriveExamples() reads TypeScript examples", async (t) => {
  await t.step("assertEquals calls and `// =>` comments in a block, with setup", () => {
    const text = '```ts\nimport { assertEquals } from "jsr:@std/assert";\nconst xs = [1, 2];\n' +
      'assertEquals(sum(xs), 3);\nassertStrictEquals(add(2, 3), 5, "adds");\nadd(1, 1) // => 2\n' +
      "console.log(greet('a')); // => \"hi a\"\n```";
    assert.deepEqual(ts(text), [
      { kind: "setup", source: "const xs = [1, 2]" },
      equal("sum(xs)", "3"),
      equal("add(2, 3)", "5"),
      shows("add(1, 1)", "2"),
      shows("greet('a')", '"hi a"'),
    ]);
  });
  await t.step("a line of prose and an inline span", () => {
    assert.deepEqual(ts("assertEquals(double(2), 4)\nAlso `double(0) // => 0`."), [
      equal("double(2)", "4"),
      shows("double(0)", "0"),
    ]);
  });
  await t.step("node's assert.equal family", () => {
    assert.deepEqual(ts("assert.deepEqual(pair(1), [1, 1]);"), [equal("pair(1)", "[1, 1]")]);
  });
  await t.step("not inside a test body, other code or a Python text", () => {
    assert.deepEqual(ts("Deno.test('x', () => {\n  assertEquals(add(1, 2), 3);\n});"), []);
    assert.deepEqual(
      ts("```ts\nconst r = add(1, 2);\nconsole.log(r);\nassertEquals(add(1, 2), 3);\n```"),
      [],
    );
    assert.deepEqual(ts(">>> add(1, 2)\n3\nassert add(1, 2) == 3"), []);
    assert.deepEqual(ts("assertEquals(1, 1)"), []);
  });
});

Deno.test("deriveExamples() is deterministic and drops repeats", () => {
  const text = "assert f(1) == 2\n\n    assert f(1) == 2\n\n>>> f(2)\n3\n";
  assert.deepEqual(py(text), py(text));
  assert.deepEqual(py(text), [equal("f(1)", "2"), shows("f(2)", "3")]);
});

Deno.test("readTestExamples() says whether a test program is nothing but examples", async (t) => {
  await t.step("imports and asserts: pure", () => {
    const read = readTestExamples("from main import *\nimport math\nassert f(1) == 2\n", "python");
    assert.equal(read.pure, true);
    assert.equal(exampleCount(read.examples), 1);
  });
  await t.step("a script with functions and loops: not pure", () => {
    const code =
      "import csv\n\ndef fail(m):\n    raise SystemExit(m)\n\nfor row in csv.reader(open('a')):\n" +
      "    assert len(row) == 5\n";
    assert.equal(readTestExamples(code, "python").pure, false);
  });
  await t.step("an assert the scanner cannot show: not pure", () => {
    assert.equal(readTestExamples("x = 3\nassert x == 3\n", "python").pure, false);
  });
  await t.step("a docstring of doctests run by doctest: pure", () => {
    const code = '"""\n>>> f(2)\n4\n"""\nimport doctest\ndoctest.testmod()\n';
    assert.equal(readTestExamples(code, "python").pure, true);
  });
});

Deno.test("withDerivedChecks()", async (t) => {
  const task: Task = {
    name: "square",
    description: "Write square(n).\n\n>>> square(3)\n9\n>>> square(0)\n0\n",
    constraints: [],
    language: "python",
    checks: {},
  };
  await t.step("adds the test check and records the examples as derived", () => {
    const derived = withDerivedChecks(task);
    assert.deepEqual(derived.derived, {
      from: "description",
      examples: [shows("square(3)", "9"), shows("square(0)", "0")],
    });
    assert.equal(derived.checks.test, examplesTestProgram(derived.derived!.examples, "python"));
  });
  await t.step("keeps a task without examples as it is", () => {
    const plain = { ...task, description: "Print hello." };
    assert.equal(withDerivedChecks(plain), plain);
  });
  await t.step("keeps the user's own test check", () => {
    const own = { ...task, checks: { test: "assert True" } };
    assert.equal(withDerivedChecks(own), own);
  });
  await t.step("setup alone is not an example", () => {
    const setupOnly = { ...task, description: ">>> import math\n>>> x = 3\n" };
    assert.equal(withDerivedChecks(setupOnly), setupOnly);
  });
});
