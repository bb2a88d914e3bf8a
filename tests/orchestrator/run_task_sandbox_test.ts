/**
 * The loop with the real sandbox and python3: what a fake executor cannot show. The program's process
 * tree is killed at the time limit and on an interrupt, and a real traceback reaches the Coder.
 * The loop's logic on its own is in run_task_test.ts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runTask } from "../../lib/orchestrator/run_task.ts";
import { coderReply, scriptedModel, sheriffReply } from "../_fakes.ts";
import { FIB_PROGRAM, processAlive, pyTask, tempDir, testLimits } from "../_helpers.ts";
import { requires } from "../_tier.ts";

const SANDBOX = requires("python3", "bubblewrap");

Deno.test(
  "runTask() in the sandbox hands python's traceback to the Coder, then passes",
  SANDBOX,
  async () => {
    await using out = await tempDir();
    const model = scriptedModel([
      coderReply(`print("start")\nraise ValueError("boom")`),
      sheriffReply("FAIL", "It raises ValueError.", "Print the numbers instead of raising."),
      coderReply(FIB_PROGRAM),
      sheriffReply("PASS"),
    ]);
    const result = await runTask(pyTask(), { model, limits: testLimits(), outDir: out.path });
    assert.equal(result.status, "passed");
    assert.equal(result.attempts[0].exec?.kind, "exited");
    const retry = model.requests[2].messages.map((m) => m.content).join("\n");
    assert.ok(retry.includes("ValueError: boom"), "the Coder sees the real traceback");
  },
);

Deno.test("runTask() kills a grandchild that outlives the timeout", SANDBOX, async () => {
  await using out = await tempDir();
  const program = `import subprocess, time
p = subprocess.Popen(["sleep", "60"])
open("grandchild.pid", "w").write(str(p.pid))
time.sleep(60)`;
  const model = scriptedModel([coderReply(program), sheriffReply("FAIL", "It hangs.")]);
  const result = await runTask(pyTask(), {
    model,
    limits: testLimits({ maxAttempts: 1, executionTimeoutMs: 1500 }),
    outDir: out.path,
  });
  assert.equal(result.attempts[0].exec?.kind, "timed_out");
  const pid = Number(await Deno.readTextFile(join(result.attempts[0].workDir, "grandchild.pid")));
  assert.ok(pid > 0);
  assert.equal(processAlive(pid), false, "the sleeping grandchild is dead");
});

Deno.test("runTask() aborted mid-run leaves no process and complete artifacts", SANDBOX, async () => {
  await using out = await tempDir();
  const program = `import subprocess, time
p = subprocess.Popen(["sleep", "60"])
open("grandchild.pid", "w").write(str(p.pid))
print("working", flush=True)
time.sleep(60)`;
  const controller = new AbortController();
  const model = scriptedModel([coderReply(program), sheriffReply("PASS")]);
  const result = await runTask(pyTask(), {
    model,
    limits: testLimits(),
    outDir: out.path,
    signal: controller.signal,
    emit: (e) => {
      if (e.kind === "exec_start") setTimeout(() => controller.abort(), 700);
    },
  });
  assert.equal(result.status, "interrupted");
  assert.equal(result.stopReason, "interrupted");
  assert.equal(result.attempts.length, 1);
  assert.equal(result.attempts[0].exec?.kind, "interrupted");
  const pid = Number(await Deno.readTextFile(join(result.attempts[0].workDir, "grandchild.pid")));
  assert.equal(processAlive(pid), false);
  const summary = JSON.parse(await Deno.readTextFile(join(result.dir!, "summary.json")));
  assert.equal(summary.status, "interrupted");
  assert.ok((await Deno.stat(join(result.dir!, "attempt-1", "result.json"))).isFile);
  const last = (await Deno.readTextFile(join(result.dir!, "transcript.jsonl"))).trim().split("\n").at(-1)!;
  assert.equal(JSON.parse(last).kind, "stop");
});
