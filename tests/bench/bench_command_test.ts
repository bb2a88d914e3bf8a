import assert from "node:assert/strict";
import { join } from "node:path";
import { BENCH_HELP, benchCommand } from "../../lib/cli/bench_command.ts";
import { parseJsonLines } from "../../lib/bench/jsonl.ts";
import { ConfigError } from "../../lib/errors.ts";
import { type FakeServerRunOptions, runAgainstFakeServer } from "../cli/_cli.ts";
import { captureIo } from "../cli/_io.ts";
import { requires } from "../_tier.ts";

const PYTHON_SANDBOX = requires("python3", "sandbox");

const FIB_20 = "a, b = 0, 1\nfor _ in range(20):\n    print(a)\n    a, b = b, a + b";

/** `bench examples --arms single --out res` in a directory holding examples/fibonacci.yaml. */
function benchExamples(replies: FakeServerRunOptions["replies"]) {
  return runAgainstFakeServer(benchCommand, ["examples", "--arms", "single"], {
    replies,
    out: "res",
    files: ["examples/fibonacci.yaml"],
  });
}

Deno.test("benchCommand() prints its help, in the form factory was started with", async () => {
  const io = { ...captureIo(Deno.cwd()), command: "deno run -A cli.ts" };
  assert.equal(await benchCommand(["--help"], io), 0);
  assert.equal(io.stdout(), BENCH_HELP + "\n");
});

Deno.test("benchCommand() rejects a missing or unknown suite, arm or number before touching a server", async () => {
  const io = captureIo(Deno.cwd());
  await assert.rejects(benchCommand([], io), ConfigError);
  await assert.rejects(benchCommand(["humaneval"], io), /unknown suite: humaneval/);
  await assert.rejects(benchCommand(["mbpp", "--arms", "best"], io), /unknown arm: best/);
  await assert.rejects(
    benchCommand(["mbpp", "--concurrency", "0"], io),
    /--concurrency: expected a whole number >= 1/,
  );
  await assert.rejects(benchCommand(["mbpp", "extra"], io), /unexpected argument: extra/);
  await assert.rejects(benchCommand(["report"], io), /expected one results directory/);
});

Deno.test(
  "benchCommand() runs a suite against a server and writes results.jsonl, results.md and results.svg",
  PYTHON_SANDBOX,
  async () => {
    const program = {
      text: "```python\n" + FIB_20 + "\n```",
      timings: { promptN: 9, promptMs: 50, predictedN: 30, predictedMs: 900 },
    };
    await using run = await benchExamples([program, program, program, program]);
    const { code, io, out, server } = run;
    assert.equal(code, 0, io.stderr());
    const [record] = parseJsonLines(await Deno.readTextFile(join(out, "results.jsonl")));
    assert.deepEqual([record.suite, record.taskId, record.arm, record.passed, record.claimed], [
      "examples",
      "fibonacci",
      "single",
      true,
      true,
    ]);
    assert.equal(record.prefillMs, 50);
    const markdown = await Deno.readTextFile(join(out, "results.md"));
    assert.equal(io.stdout(), markdown);
    assert.match(markdown, /\| single \| 1 \| 100% \(1\/1\) \|/);
    assert.match(markdown, /## Streamed turns against the raw server/);
    assert.ok((await Deno.readTextFile(join(out, "results.svg"))).startsWith("<svg"));
    assert.match(io.stderr(), /\[1\/1\] examples fibonacci single: pass, 1 attempt/);
    assert.equal(
      server.chatBodies.length,
      4,
      "one turn, then the speed probe's warm-up, streamed and raw requests",
    );
  },
);

Deno.test("benchCommand() keeps its results when the speed probe fails", PYTHON_SANDBOX, async () => {
  await using run = await benchExamples(["```python\n" + FIB_20 + "\n```", { status: 503 }]);
  const { code, io, out } = run;
  assert.equal(code, 0, io.stderr());
  const markdown = await Deno.readTextFile(join(out, "results.md"));
  assert.match(markdown, /The speed probe failed: Speed probe request failed: the server answered 503/);
  assert.match(markdown, /\| single \| 1 \| 100% \(1\/1\) \|/);
});
