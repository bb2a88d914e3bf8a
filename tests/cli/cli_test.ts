import assert from "node:assert/strict";
import { join } from "node:path";
import { main } from "../../cli.ts";
import { fakeOpenAIServer } from "../_fake_openai_server.ts";
import { coderReply, sheriffReply } from "../_fakes.ts";
import { FIB_OUTPUT, FIB_PROGRAM, tempDir } from "../_helpers.ts";
import { runAgainstFakeServer } from "./_cli.ts";
import { captureIo } from "./_io.ts";
import { requires } from "../_tier.ts";

const PYTHON_SANDBOX = requires("python3", "sandbox");

async function runDirs(out: string): Promise<string[]> {
  try {
    return (await Array.fromAsync(Deno.readDir(out))).map((e) => e.name);
  } catch {
    return [];
  }
}

/** The Coder writes `program`, the Sheriff passes it. */
function passing(program: string) {
  return [coderReply(program), sheriffReply("PASS")];
}

Deno.test("cli main() runs a bare task text against the server and exits 0", PYTHON_SANDBOX, async () => {
  await using run = await runAgainstFakeServer(main, ["Print the first 10 Fibonacci numbers"], {
    replies: passing(FIB_PROGRAM),
  });
  const { code, io, out, server } = run;
  assert.equal(code, 0, io.stderr());
  assert.match(io.stdout(), /PASSED/);
  assert.match(io.stdout(), /attempt 1 passed/);
  const [name] = await runDirs(out);
  assert.match(name, /^\d{8}-\d{6}-print-the-first-10-fibonacci-numbers-[0-9a-f]{4}$/);
  const summary = JSON.parse(await Deno.readTextFile(join(out, name, "summary.json")));
  assert.equal(summary.status, "passed");
  assert.equal(server.chatBodies[0].model, "fake-model", "the server's first model is used by default");
  assert.equal(server.chatBodies[0].temperature, 0);
  assert.equal(server.chatBodies[0].max_tokens, 2048);
});

Deno.test("cli main() --task runs an example file with its checks", PYTHON_SANDBOX, async (t) => {
  await t.step("wrong output fails the check: exit 1", async () => {
    await using run = await runAgainstFakeServer(main, ["run", "-t", "examples/fibonacci.yaml", "-n", "1"], {
      replies: passing(`print("0 1 1 2")`),
    });
    const { code, io } = run;
    assert.equal(code, 1, io.stderr());
    assert.match(io.stdout(), /check stdout failed/);
    assert.match(io.stdout(), /overruled/);
  });
});

Deno.test("cli main() --json prints one JSON event per line", PYTHON_SANDBOX, async () => {
  await using run = await runAgainstFakeServer(main, ["run", "fib numbers", "--json"], {
    replies: passing(FIB_PROGRAM),
  });
  const { code, io } = run;
  assert.equal(code, 0);
  const events = io.stdout().trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(events[0].kind, "run_start");
  assert.equal(events.at(-1).kind, "stop");
  assert.equal(events.at(-1).result.status, "passed");
  assert.ok(events.some((e) => e.kind === "coder_token"));
});

Deno.test("cli main() --quiet prints only the result and the artifacts path", PYTHON_SANDBOX, async () => {
  await using run = await runAgainstFakeServer(main, ["run", "fib numbers", "--quiet"], {
    replies: passing(FIB_PROGRAM),
  });
  const { code, io } = run;
  assert.equal(code, 0);
  assert.equal(io.stdout().trim().split("\n").length, 2);
  assert.match(io.stdout(), /^PASSED.*\nartifacts /);
  assert.equal(io.stderr(), "");
});

Deno.test("cli main() bad input: one clear line, exit 2, nothing written", async (t) => {
  const cases: Array<[string, string[], RegExp]> = [
    ["unknown flag", ["run", "x y", "--bogus"], /bogus/],
    ["missing task file", ["run", "--task", "nope.yaml"], /Task file not found: nope\.yaml/],
    [
      "missing config file",
      ["run", "x y", "--config", "missing.yaml"],
      /Config file not found: missing\.yaml/,
    ],
    ["bad max attempts", ["run", "x y", "--max-attempts=-3"], /--max-attempts: expected a whole number >= 1/],
    ["bad language", ["run", "x y", "--lang", "ruby"], /--lang: expected python or typescript/],
    [
      "unknown speculative mode",
      ["run", "x y", "--speculative", "bogus"],
      /^error: Invalid flag: --speculative: expected one of auto, off, ngram, draft, got "bogus"$/m,
    ],
    ["both text and file", ["run", "x y", "--task", "examples/fibonacci.yaml"], /not both/],
    ["no task", ["run"], /no task given/],
    ["unknown command", ["frobnicate"], /Unknown command: frobnicate/],
    ["bad config key", ["run", "x y", "--config", "tests/fixtures/config/unknown_key.yaml"], /unknown key/],
  ];
  for (const [name, args, pattern] of cases) {
    await t.step(name, async () => {
      await using dir = await tempDir();
      const io = captureIo(Deno.cwd());
      const code = await main([...args, "--out", join(dir.path, "runs")], io);
      assert.equal(code, 2, `${name}: ${io.stderr()}`);
      assert.match(io.stderr(), pattern);
      assert.equal(io.stderr().trim().split("\n").length, 1, "one line");
      assert.deepEqual(await runDirs(dir.path), [], "nothing written");
    });
  }
});

Deno.test("cli main() exits 3 with a hint when no server answers", async () => {
  await using dir = await tempDir();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const io = captureIo(dir.path);
  const code = await main(["run", "x y", "--no-server", "--base-url", `http://127.0.0.1:${port}/v1`], io);
  assert.equal(code, 3);
  assert.match(io.stderr(), /Cannot reach the model server/);
  assert.match(io.stderr(), /start the server at http:\/\/127\.0\.0\.1:\d+\/v1, or point --base-url at one/);
});

Deno.test("cli main() --help on every command exits 0", async (t) => {
  for (const args of [["--help"], ["run", "--help"]]) {
    await t.step(args.join(" "), async () => {
      const io = captureIo(Deno.cwd());
      assert.equal(await main(args, io), 0);
      assert.match(io.stdout(), /Usage/);
    });
  }
});

Deno.test("cli: SIGINT during a model call exits 130 and keeps the artifacts", async () => {
  await using dir = await tempDir();
  await using server = fakeOpenAIServer({ replies: [{ hang: true }] });
  const out = join(dir.path, "runs");
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli.ts", "run", "fib numbers", "--base-url", server.baseUrl, "--out", out, "--json"],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes('"coder_start"')) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += value;
  }
  child.kill("SIGINT");
  while (!(await reader.read()).done);
  const status = await child.status;
  await child.stderr.cancel();
  assert.equal(status.code, 130);
  const [run] = await runDirs(out);
  const summary = JSON.parse(await Deno.readTextFile(join(out, run, "summary.json")));
  assert.equal(summary.status, "interrupted");
});

Deno.test("cli main() uses the scripted fib output", () => {
  assert.equal(FIB_OUTPUT.split("\n").length, 10);
});

Deno.test("cli main() derives a check from the examples in the task text, unless --no-derive", async (t) => {
  const text = "Write a function square(n) that returns n squared.\n>>> square(3)\n9\n>>> square(4)\n16";
  const program = "def square(n):\n    return n * n\n\nif __name__ == '__main__':\n    print(square(3))";
  await t.step("announced in the terminal and recorded in task.json", async () => {
    await using run = await runAgainstFakeServer(main, [text], { replies: passing(program) });
    const { code, io, out } = run;
    assert.equal(code, 0, io.stderr());
    assert.match(io.stdout(), /\nchecks: 2 examples derived from the task\n/);
    assert.match(io.stdout(), /Checks 1\/1 checks passed/);
    const [name] = await runDirs(out);
    const task = JSON.parse(await Deno.readTextFile(join(out, name, "task.json")));
    assert.equal(task.derived.examples.length, 2);
  });
  await t.step("--no-derive: no check, no announcement", async () => {
    await using run = await runAgainstFakeServer(main, [text, "--no-derive"], { replies: passing(program) });
    const { code, io, out } = run;
    assert.equal(code, 0, io.stderr());
    assert.doesNotMatch(io.stdout(), /derived from the task/);
    const [name] = await runDirs(out);
    const task = JSON.parse(await Deno.readTextFile(join(out, name, "task.json")));
    assert.equal(task.derived, undefined);
    assert.deepEqual(task.checks, {});
  });
});
