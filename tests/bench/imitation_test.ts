import assert from "node:assert/strict";
import { imitation } from "../../lib/bench/imitation.ts";
import { withDerivedChecks } from "../../lib/task/derive_checks.ts";
import type { Task } from "../../lib/types.ts";

const PLAIN: Pick<Task, "language" | "checks" | "derived"> = { language: "python", checks: {} };
const DERIVED = withDerivedChecks({
  name: "sq",
  description: "Write square(n).\n\n    assert square(3) == 9\n\n>>> cube(2)\n8\n",
  constraints: [],
  language: "python",
  checks: {},
});

Deno.test("imitation() finds programs that call a test framework", async (t) => {
  const cases: [string, string][] = [
    ["import doctest\ndoctest.testmod()", "imports doctest"],
    ["if __name__ == '__main__':\n    import unittest\n    unittest.main()", "imports unittest"],
    ["from pytest import raises", "imports pytest"],
  ];
  for (const [code, reason] of cases) {
    await t.step(reason, () => assert.equal(imitation(code, PLAIN), reason));
  }
  await t.step("Deno.test and an assert library in TypeScript", () => {
    const ts = { language: "typescript" as const, checks: {} };
    assert.equal(imitation('Deno.test("x", () => {});', ts), "calls Deno.test");
    assert.equal(imitation('import { assertEquals } from "jsr:@std/assert";', ts), "imports a test library");
  });
  await t.step("not in a string or a comment", () => {
    assert.equal(imitation('# run doctest.testmod() yourself\nprint("import unittest")', PLAIN), undefined);
  });
});

Deno.test("imitation() finds programs that contain the check's code", async (t) => {
  await t.step("one of its asserts, whatever the spacing", () => {
    assert.equal(
      imitation("def square(n):\n    return n*n\nassert square( 3 )==9\n", DERIVED),
      'contains the check\'s "assert square(3) == 9"',
    );
  });
  await t.step("not its doctest lines quoted in a docstring, unless doctest runs them", () => {
    const documented = 'def cube(n):\n    """\n    >>> cube(2)\n    8\n    """\n    return n ** 3\n';
    assert.equal(imitation(documented, DERIVED), undefined);
    assert.equal(imitation(documented + "import doctest\ndoctest.testmod()\n", DERIVED), "imports doctest");
  });
  await t.step("a line of a test program that is more than examples", () => {
    const task = {
      language: "python" as const,
      checks: { test: "import json\nmodel = json.load(open('w.json'))\n" },
    };
    assert.match(
      imitation("import json\nmodel = json.load(open('w.json'))\nprint(model)", task) ?? "",
      /contains the check's line/,
    );
  });
  await t.step("a program that only calls its function is no imitation", () => {
    assert.equal(imitation("def square(n):\n    return n * n\n\nprint(square(3))\n", DERIVED), undefined);
  });
});
