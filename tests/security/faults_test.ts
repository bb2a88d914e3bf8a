/**
 * Faults, through the real CLI as a subprocess: the model server failing in every way (killed mid-stream,
 * sending no answer at all, answering 500 or garbage, its port taken), and SIGINT / SIGTERM in every phase
 * (starting the server, a Coder turn, the program's run, a Sheriff turn). Each: a clear message, the
 * documented exit code, a transcript and summary consistent up to the fault, and no process left.
 * (tests/cli covers SIGINT in a Coder turn and a real llama-server killed in a Coder turn.)
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fakeOpenAIServer, type FakeReply } from "../_fake_openai_server.ts";
import { coderReply, sheriffReply } from "../_fakes.ts";
import { FIB_PROGRAM, processAlive, tempDir } from "../_helpers.ts";
import { assertNoServerLeft, freePort, realEngine } from "../server/_helpers.ts";
import { assertConsistentRun, onlyRun, runDirs, startCli } from "./_cli.ts";
import { assertNoSurvivor, PY_MARK } from "./_hostile.ts";
import { requires } from "../_tier.ts";

const ENGINE = requires("llama-server", "tiny model");
const PYTHON_SANDBOX = requires("python3", "sandbox");

/** A config file with a short llm_timeout, in `dir`. */
async function config(dir: string, llmTimeout = 30): Promise<string> {
  const path = join(dir, "factory.yaml");
  await Deno.writeTextFile(path, `agent:\n  llm_timeout: ${llmTimeout}\n  execution_timeout: 60\n`);
  return path;
}

function runArgs(baseUrl: string, dir: string, cfg: string, extra: string[] = []): string[] {
  return [
    "run",
    "print the fibonacci numbers",
    "--base-url",
    baseUrl,
    "--out",
    join(dir, "runs"),
    "--config",
    cfg,
    "--json",
    ...extra,
  ];
}

Deno.test("cli run: a failing model server ends the run with exit 3 and a clear message", async (t) => {
  const cases: Array<[string, FakeReply, RegExp]> = [
    [
      "sending no answer at all: llm_timeout fires",
      { silent: true },
      /error: Model server sent no answer within 1 s/,
    ],
    [
      "answering 500",
      { status: 500, body: `{"error":{"message":"boom"}}` },
      /error: Model server answered 500: boom/,
    ],
    ["answering garbage", { garbage: true }, /error: Model server sent an unreadable reply/],
  ];
  for (const [name, reply, message] of cases) {
    await t.step(name, async () => {
      await using dir = await tempDir();
      await using server = fakeOpenAIServer({ replies: [reply] });
      await using cli = startCli(runArgs(server.baseUrl, dir.path, await config(dir.path, 1)));
      const { code, stderr } = await cli.finish();
      assert.equal(code, 3, stderr);
      assert.match(stderr, message);
      assert.equal(stderr.trim().split("\n").filter((l) => l.startsWith("error:")).length, 1);
      const events = await assertConsistentRun(await onlyRun(join(dir.path, "runs")), "error");
      const call = events.find((e) => e.kind === "model_call") as { error?: string };
      assert.ok(call?.error, "the failed call is in the transcript with its error");
    });
  }
});

Deno.test(
  "cli run: the model server killed in the middle of a Sheriff stream: exit 3",
  PYTHON_SANDBOX,
  async () => {
    await using dir = await tempDir();
    const replies = [coderReply(FIB_PROGRAM), {
      text: "VERDICT: PASS\n" + "ANALYSIS: fine. ".repeat(400),
      chunkDelayMs: 20,
    }];
    const server = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "tests/security/_fake_server_process.ts", JSON.stringify(replies)],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    try {
      const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
      const baseUrl = (await reader.read()).value!.trim();
      reader.releaseLock();
      await using cli = startCli(runArgs(baseUrl, dir.path, await config(dir.path)));
      await cli.waitFor('"sheriff_token"');
      server.kill("SIGKILL");
      const { code, stderr } = await cli.finish();
      assert.equal(code, 3, stderr);
      assert.match(stderr, /error: .*(connection|terminated|server|network|reset|closed)/i);
      const events = await assertConsistentRun(await onlyRun(join(dir.path, "runs")), "error");
      assert.ok(events.some((e) => e.kind === "exec_done"), "the program's run before the fault is kept");
    } finally {
      await server.status;
      await server.stdout.cancel().catch(() => {});
    }
  },
);

Deno.test(
  "cli run: the server's port taken by another program: exit 3, nothing written",
  ENGINE,
  async () => {
    await using dir = await tempDir();
    const { model } = await realEngine();
    await using other = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      () => new Response("hi"),
    );
    const port = String(other.addr.port);
    const out = join(dir.path, "runs");
    await using cli = startCli(["run", "print hi", "-m", model, "--port", port, "--out", out]);
    const { code, stderr } = await cli.finish();
    assert.equal(code, 3, stderr);
    assert.match(stderr, new RegExp(`error: .*port ${port} is served by another program`));
    assert.deepEqual(await runDirs(out), []);
  },
);

/** The phases a signal can hit, with the server replies that hold the run there and what shows it. */
const PHASES: Array<{ name: string; replies: Array<string | FakeReply>; waitFor: string }> = [
  { name: "a Coder turn", replies: [{ hang: true }], waitFor: '"coder_start"' },
  {
    name: "the program's run",
    replies: [
      coderReply(
        `${PY_MARK}import subprocess, time\nsubprocess.Popen(["sleep", "300"])\nprint("running", flush=True)\ntime.sleep(300)`,
      ),
      sheriffReply("PASS"),
    ],
    waitFor: '"exec_start"',
  },
  { name: "a Sheriff turn", replies: [coderReply(FIB_PROGRAM), { hang: true }], waitFor: '"sheriff_start"' },
];

Deno.test("cli run: SIGINT and SIGTERM in every phase exit 130 with complete artifacts and no orphan", async (t) => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    for (const phase of PHASES) {
      if (signal === "SIGINT" && phase.name === "a Coder turn") continue; // tests/cli/cli_test.ts has it
      const needs = phase.name === "a Coder turn" ? {} : PYTHON_SANDBOX; // the others run the program
      await t.step({
        name: `${signal} during ${phase.name}`,
        ...needs,
        fn: async () => {
          await using dir = await tempDir();
          await using server = fakeOpenAIServer({ replies: phase.replies });
          await using cli = startCli(runArgs(server.baseUrl, dir.path, await config(dir.path)));
          await cli.waitFor(phase.waitFor);
          if (phase.name === "the program's run") await waitForMarker(join(dir.path, "runs"));
          cli.child.kill(signal);
          const { code, stdout, stderr } = await cli.finish();
          assert.equal(code, 130, stderr);
          const run = await onlyRun(join(dir.path, "runs"));
          await assertConsistentRun(run, "interrupted");
          assert.match(stdout.trim().split("\n").at(-1)!, /"stopReason":"interrupted"/);
          if (phase.name === "the program's run") {
            const result = JSON.parse(await Deno.readTextFile(join(run, "attempt-1", "result.json")));
            assert.equal(result.exec.kind, "interrupted");
            await assertNoSurvivor(await Deno.readTextFile(join(run, "attempt-1", "work", "marker.json")));
          }
        },
      });
    }
  }
});

/** Waits until the program has written its marker (it is running inside the sandbox). */
async function waitForMarker(out: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    const [run] = await runDirs(out);
    const text = run
      ? await Deno.readTextFile(join(out, run, "attempt-1", "work", "marker.json")).catch(() => "")
      : "";
    if (text.endsWith("}")) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("the program never wrote its marker");
}

Deno.test(
  "cli run: SIGINT and SIGTERM while starting the model server exit 130 and leave no server",
  ENGINE,
  async (t) => {
    const { model } = await realEngine();
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      await t.step(signal, async () => {
        await using dir = await tempDir();
        const port = freePort();
        const out = join(dir.path, "runs");
        await using cli = startCli(["run", "print hi", "-m", model, "--port", String(port), "--out", out]);
        await cli.waitFor("starting llama-server", "stderr");
        cli.child.kill(signal);
        const { code, stderr } = await cli.finish();
        assert.equal(code, 130, stderr);
        assert.match(stderr, /interrupted/);
        assert.deepEqual(await runDirs(out), [], "no run was started");
        assertNoServerLeft(port);
      });
    }
  },
);

Deno.test("cli run: no process of ours outlives these faults", () => {
  assert.ok(processAlive(Deno.pid));
});
