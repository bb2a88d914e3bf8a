/**
 * What a user reads from `factory run`: the real CLI (`main`) against a scripted model and a fake
 * executor, asserting on the text it prints.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { main } from "../../cli.ts";
import { coderReply, fakeExecutor, type FakeRun, scriptedModel, sheriffReply } from "../_fakes.ts";
import { tempDir } from "../_helpers.ts";
import { FAKE_SERVER, fakeIo } from "./_io.ts";

/** Runs `factory run ARGS` with one scripted attempt per program in `runs`; returns the io and exit code. */
async function runCli(args: string[], runs: FakeRun[], sheriff: "PASS" | "FAIL" = "PASS") {
  await using dir = await tempDir();
  const replies = runs.flatMap(() => [coderReply("print('hi')"), sheriffReply(sheriff, "Reviewed.")]);
  const io = fakeIo(Deno.cwd(), { model: scriptedModel(replies), executor: fakeExecutor(runs) });
  const code = await main(["run", ...args, "--out", join(dir.path, "runs")], io);
  return { io, code, out: io.stdout(), err: io.stderr(), runsDir: join(dir.path, "runs") };
}

const numbered = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`);

Deno.test("factory run shows the program's output", async (t) => {
  await t.step("the last 12 lines of stdout and of stderr, the cut marked", async () => {
    const stdout = numbered(30, "out").join("\n") + "\n";
    const stderr = "Traceback (most recent call last):\nValueError: bad\n";
    const { out, code } = await runCli(["say hi", "-n", "1"], [{ exit: 1, stdout, stderr }]);
    assert.equal(code, 1);
    assert.match(out, /^ {2}stdout$/m);
    assert.match(out, /│ … 18 earlier lines not shown \(--verbose shows all\)/);
    for (const line of numbered(30, "out").slice(-12)) assert.ok(out.includes(`│ ${line}\n`), line);
    assert.ok(!out.includes("│ out 18\n"), "line 18 is cut");
    assert.match(out, /^ {2}stderr$/m);
    assert.match(out, /│ Traceback \(most recent call last\):\n {2}│ ValueError: bad\n/);
  });

  await t.step("--verbose shows all of it", async () => {
    const stdout = numbered(30, "out").join("\n");
    const { out } = await runCli(["say hi", "-n", "1", "--verbose"], [{ stdout }]);
    for (const line of numbered(30, "out")) assert.ok(out.includes(`│ ${line}\n`), line);
    assert.doesNotMatch(out, /earlier line/);
  });

  await t.step("escape sequences and direction overrides are shown, not obeyed", async () => {
    const { out } = await runCli(["say hi", "-n", "1"], [{ stdout: "\x1b[2Jred\x1b[31m\u202eevil\r\n" }]);
    assert.ok(out.includes("│ \\x1b[2Jred\\x1b[31m\\u202eevil\n"), out);
    assert.ok(!out.includes("\x1b"), "no raw escape character reaches the terminal");
  });

  await t.step("empty streams print nothing", async () => {
    const { out } = await runCli(["say hi", "-n", "1"], [{ stdout: "" }]);
    assert.doesNotMatch(out, /^ {2}(stdout|stderr)$/m);
  });
});

Deno.test("factory run shows a failed stdout check as a line diff, once", async () => {
  const expected = ["0", "1", "1", "2", "3", "5", "8", "13", "21", "34", "55", "89"].join("\n");
  const actual = expected.replace("\n21\n", "\n20\n");
  const task = await fileTask({ stdout: expected });
  const { out, code } = await runCli(["--task", task.path, "-n", "1"], [{ stdout: actual + "\n" }]);
  await task[Symbol.asyncDispose]();
  assert.equal(code, 1);
  assert.match(out, /✗ stdout differs from the expected output \(- expected, \+ actual\):/);
  assert.match(out, /\n {6}8\n {6}13\n {4}- 21\n {4}\+ 20\n {6}34\n {6}55\n/);
  assert.match(out, /… 6 unchanged lines/, "the far context is folded");
  assert.match(out, /· check stdout failed \(shown above\)/);
  assert.doesNotMatch(out, /expected "0\\n1/, "the escaped one-line form is not printed");
});

Deno.test("factory run counts in words that agree", async (t) => {
  await t.step("one attempt", async () => {
    const { out } = await runCli(["say hi", "-n", "1"], [{ exit: 1 }], "FAIL");
    assert.match(out, /up to 1 attempt\n/);
    assert.match(out, /No passing program after 1 attempt\n/);
    assert.match(out, /^1 attempt · tokens/m);
  });
  await t.step("two attempts", async () => {
    const { out } = await runCli(["say hi", "-n", "2"], [{ exit: 1 }, { exit: 1 }], "FAIL");
    assert.match(out, /up to 2 attempts\n/);
    assert.match(out, /No passing program after 2 attempts\n/);
  });
});

Deno.test("factory run names the program's time and the time of programs with sandbox set-up apart", async () => {
  const { out } = await runCli(["say hi", "-n", "1"], [{ stdout: "hi\n", ms: 44 }]);
  assert.match(out, /Run exit 0 · program 44 ms · stdout 3 B/);
  assert.match(out, /programs incl\. sandbox set-up and checks \d+ ms/);
});

Deno.test("factory run --quiet prints the result and the artifacts path", async () => {
  const { out, err, code, runsDir } = await runCli(["say hi", "--quiet"], [{ stdout: "hi\n" }]);
  assert.equal(code, 0);
  const lines = out.trimEnd().split("\n");
  assert.equal(lines.length, 2, out);
  assert.match(lines[0], /^PASSED · Passed on attempt 1$/);
  assert.match(lines[1], new RegExp(`^artifacts ${runsDir}/\\d{8}-\\d{6}-say-hi-[0-9a-f]{4}$`));
  assert.equal(err, "");
});

/** A task file with `checks`, in a temporary dir. */
async function fileTask(checks: Record<string, string>) {
  const dir = await tempDir();
  const path = join(dir.path, "task.yaml");
  const body = Object.entries(checks).map(([k, v]) =>
    `  ${k}: |\n${v.split("\n").map((l) => `    ${l}`).join("\n")}`
  );
  await Deno.writeTextFile(
    path,
    `name: fib\ndescription: Print Fibonacci numbers.\nchecks:\n${body.join("\n")}\n`,
  );
  return { path, [Symbol.asyncDispose]: () => dir[Symbol.asyncDispose]() };
}

Deno.test("factory run records what ran it in the run directory", async () => {
  await using dir = await tempDir();
  const model = scriptedModel([coderReply("print('hi')"), sheriffReply("PASS")]);
  const io = fakeIo(Deno.cwd(), { model, executor: fakeExecutor([{ stdout: "hi\n" }]) });
  const out = join(dir.path, "runs");
  assert.equal(await main(["run", "say hi", "--out", out, "-n", "2", "--timeout", "7"], io), 0);
  const [run] = await Array.fromAsync(Deno.readDir(out));
  const summary = JSON.parse(await Deno.readTextFile(join(out, run.name, "summary.json")));
  const { version } = JSON.parse(await Deno.readTextFile("deno.json"));
  const provenance = {
    model: FAKE_SERVER.modelName,
    engine: "openai",
    serverUrl: FAKE_SERVER.baseUrl,
    factoryVersion: version,
    sandbox: "bubblewrap",
  };
  assert.deepEqual(summary.provenance, provenance);
  assert.equal(summary.limits.maxAttempts, 2);
  assert.equal(summary.limits.executionTimeoutMs, 7_000);
  assert.match(summary.startedAt, /^\d{4}-\d\d-\d\dT/);
  assert.match(summary.endedAt, /^\d{4}-\d\d-\d\dT/);
  assert.equal(summary.finalScript, join("attempt-1", "script.py"));
  const runJson = JSON.parse(await Deno.readTextFile(join(out, run.name, "run.json")));
  assert.deepEqual(runJson.provenance, provenance);
});
