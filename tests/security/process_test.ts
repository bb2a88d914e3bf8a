/**
 * Hostile programs against processes: our environment, our /proc, our pids, and processes meant to
 * outlive the run (a grandchild past the timeout, a double fork with setsid, a fork bomb, a thread bomb).
 */
import assert from "node:assert/strict";
import { processAlive } from "../_helpers.ts";
import { detectCgroups } from "../../lib/sandbox/cgroup.ts";
import { assertNoSurvivor, expectKind, killIfAlive, output, PY_MARK, runHostile } from "./_hostile.ts";
import { requires } from "../_tier.ts";

const PYTHON_SANDBOX = requires("python3", "sandbox");

const FAKE_KEY = `sk-fake-${crypto.randomUUID()}`;

Deno.test("execute() shows a program nothing of our environment or our /proc", PYTHON_SANDBOX, async (t) => {
  const previous = Deno.env.get("OPENAI_API_KEY");
  Deno.env.set("OPENAI_API_KEY", FAKE_KEY);
  try {
    await t.step("python: os.environ, /proc/<our pid>/environ, /proc/<parent>/environ, /proc/1", async () => {
      const code = `import os
print("ENV", sorted(os.environ))
for pid in [${Deno.pid}, os.getppid(), 1]:
    for what in ["environ", "cmdline", "status"]:
        try: print("READ", pid, what, open(f"/proc/{pid}/{what}", "rb").read()[:200])
        except Exception as e: print("DENIED", pid, what, type(e).__name__)
print("VISIBLE", sorted(int(p) for p in os.listdir("/proc") if p.isdigit()) == sorted([os.getpid()]))`;
      await using run = await runHostile("python", code);
      const result = expectKind(run.result, "exited");
      assert.equal(result.code, 0, output(result));
      assert.ok(!output(result).includes(FAKE_KEY));
      assert.match(
        result.stdout.text,
        /^ENV \['HOME', 'LANG', 'PATH', 'PYTHONDONTWRITEBYTECODE', 'PYTHONIOENCODING', 'PYTHONUNBUFFERED'\]$/m,
      );
      assert.doesNotMatch(result.stdout.text, /^READ/m);
      assert.equal(result.stdout.text.match(/^DENIED/gm)?.length, 9);
      assert.match(result.stdout.text, /^VISIBLE True$/m, "it sees its own process only");
    });
    await t.step("typescript: Deno.env and /proc", async () => {
      const code =
        `for (const attempt of [() => Deno.env.toObject(), () => Deno.readTextFileSync("/proc/${Deno.pid}/environ")]) {
  try { console.log("READ", JSON.stringify(attempt())); } catch (e) { console.log("DENIED", (e as Error).name); }
}`;
      await using run = await runHostile("typescript", code);
      const result = expectKind(run.result, "exited");
      assert.deepEqual(result.stdout.text.trim().split("\n"), ["DENIED NotCapable", "DENIED NotCapable"]);
      assert.ok(!output(result).includes(FAKE_KEY));
    });
  } finally {
    if (previous === undefined) Deno.env.delete("OPENAI_API_KEY");
    else Deno.env.set("OPENAI_API_KEY", previous);
  }
});

Deno.test("execute() lets a program kill nobody but itself", PYTHON_SANDBOX, async (t) => {
  await t.step("python: SIGKILL to its parent, to our pid and to every process it may signal", async () => {
    const code = `import os, signal, subprocess
if os.getuid() in (0, ${Deno.uid()}): raise SystemExit("refusing: the sandbox did not switch the user")
for pid in [os.getppid(), ${Deno.pid}]:
    try: os.kill(pid, signal.SIGKILL); print("KILLED", pid)
    except Exception as e: print("DENIED", pid, type(e).__name__)
own = subprocess.Popen(["sleep", "300"])
os.kill(-1, signal.SIGKILL)  # every process it may signal but itself: only its own child
print("OWN CHILD", own.wait())`;
    await using run = await runHostile("python", code);
    const result = expectKind(run.result, "exited");
    assert.equal(result.code, 0, output(result));
    assert.doesNotMatch(result.stdout.text, /^KILLED/m);
    assert.equal(result.stdout.text.match(/^DENIED \d+ PermissionError$/gm)?.length, 2);
    assert.match(result.stdout.text, /^OWN CHILD -9$/m, "kill(-1) reached its own child and nothing else");
  });
  await t.step("typescript: Deno.kill of its parent and of us", async () => {
    const code = `for (const pid of [${Deno.pid}, 1]) {
  try { Deno.kill(pid, "SIGKILL"); console.log("KILLED", pid); } catch (e) { console.log("DENIED", (e as Error).name); }
}`;
    await using run = await runHostile("typescript", code);
    const result = expectKind(run.result, "exited");
    assert.deepEqual(result.stdout.text.trim().split("\n"), ["DENIED NotCapable", "DENIED NotCapable"]);
  });
  assert.ok(processAlive(Deno.pid), "we are still here");
});

Deno.test("execute() leaves no process behind", PYTHON_SANDBOX, async (t) => {
  await t.step("python: a grandchild sleeping past the timeout", async () => {
    const code = `${PY_MARK}import subprocess, time
p = subprocess.Popen(["sleep", "300"])
open("grandchild", "w").write(str(p.pid))
time.sleep(300)`;
    await using run = await runHostile("python", code, { timeoutMs: 1500 });
    expectKind(run.result, "timed_out");
    assert.equal(processAlive(Number(await run.read("grandchild"))), false);
    await assertNoSurvivor(await run.read("marker.json"));
  });
  await t.step("python: a double fork with setsid, the program itself exiting 0 at once", async () => {
    const code = `${PY_MARK}import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        open("survivor", "w").write(str(os.getpid())); time.sleep(300)
    os._exit(0)
os.wait()
while not os.path.exists("survivor"): time.sleep(0.01)
print("escaped?")`;
    await using run = await runHostile("python", code);
    const result = expectKind(run.result, "exited");
    assert.equal(result.code, 0, output(result));
    assert.equal(processAlive(Number(await run.read("survivor"))), false);
    await assertNoSurvivor(await run.read("marker.json"));
  });
  await t.step("the same double fork with sandbox: off dies with the run's control group", async () => {
    const code = `import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        open("survivor", "w").write(str(os.getpid())); time.sleep(300)
    os._exit(0)
os.wait()
while not os.path.exists("survivor"): time.sleep(0.01)`;
    await using run = await runHostile("python", code, { sandbox: "off" });
    const survivor = Number(await run.read("survivor"));
    try {
      const grouped = (await detectCgroups()).kind !== "none";
      assert.equal(processAlive(survivor), !grouped, "without a control group a setsid grandchild escapes");
    } finally {
      killIfAlive(survivor);
    }
  });
  await t.step("python: a fork bomb", async () => {
    const code = `${PY_MARK}import os
while True:
    try: os.fork()
    except OSError: pass`;
    await using run = await runHostile("python", code, { timeoutMs: 3000, maxProcesses: 64 });
    expectKind(run.result, "timed_out");
    await assertNoSurvivor(await run.read("marker.json"));
  });
  await t.step("typescript: a worker (thread) bomb, and a subprocess it may not start", async () => {
    const code =
      `try { new Deno.Command("/usr/bin/sleep", { args: ["300"] }).spawn(); console.log("SPAWNED"); }
catch (e) { console.log("DENIED", (e as Error).name); }
const spawn = () => new Worker(new URL("data:text/javascript,setInterval(()=>{},1000)"), { type: "module" });
setInterval(() => { for (let i = 0; i < 50; i++) spawn(); }, 1);`;
    await using run = await runHostile("typescript", code, { timeoutMs: 5000, maxProcesses: 64 });
    assert.match(output(run.result), /DENIED NotCapable/);
    assert.doesNotMatch(output(run.result), /SPAWNED/);
    assert.ok(run.result.kind === "timed_out" || (run.result.kind === "exited" && run.result.code !== 0));
    assert.deepEqual(processesMentioning(run.dir), [], "no Deno process of the program is left");
  });
});

/** Live processes whose command line mentions `text` (a TypeScript program's work dir). */
function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name) || Number(entry.name) === Deno.pid) continue;
    try {
      const cmdline = Deno.readTextFileSync(`/proc/${entry.name}/cmdline`);
      if (cmdline.includes(text) && processAlive(Number(entry.name))) found.push(Number(entry.name));
    } catch {
      // Gone.
    }
  }
  return found;
}
