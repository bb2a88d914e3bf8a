import assert from "node:assert/strict";
import { execute, executeFile } from "../../lib/sandbox/execute.ts";
import { omittedMarker } from "../../lib/sandbox/output_cap.ts";
import { pidAlive } from "../../lib/host/process.ts";
import { resolvePython } from "../../lib/sandbox/python.ts";
import type { ExecResult } from "../../lib/types.ts";
import { tempDir, waitForFile } from "./_temp_dir.ts";
import { requires } from "../_tier.ts";

const PYTHON_SANDBOX = requires("python3", "sandbox");
const SANDBOX = requires("sandbox");
const NUMPY = requires("python3", "numpy", "sandbox");

/** Narrows `result` to `kind`, failing with the whole result otherwise. */
function expectKind<K extends ExecResult["kind"]>(
  result: ExecResult,
  kind: K,
): Extract<ExecResult, { kind: K }> {
  assert.equal(result.kind, kind, JSON.stringify(result));
  return result as Extract<ExecResult, { kind: K }>;
}

/** A program that starts `sleep 100`, records both pids in `ids`, and then sleeps itself. */
const FORKS_A_SLEEPER = `
import os, subprocess, time
p = subprocess.Popen(["sleep", "100"])
print("started", flush=True)
open("ids.tmp", "w").write(f"{os.getpid()} {p.pid}")
os.rename("ids.tmp", "ids")
time.sleep(100)
`;

async function readIds(dir: string): Promise<number[]> {
  return (await waitForFile(`${dir}/ids`)).split(" ").map(Number);
}

Deno.test("execute() runs a Python program in its work dir", PYTHON_SANDBOX, async (t) => {
  await using dir = await tempDir();
  await t.step("capturing stdout of a clean exit", async () => {
    const code = "import os\nprint('hello world')\nprint(os.getcwd())\n";
    const result = expectKind(
      await execute({ language: "python", code, dir: dir.path }, { timeoutMs: 20_000 }),
      "exited",
    );
    assert.equal(result.code, 0);
    assert.equal(result.stdout.text, `hello world\n${dir.path}\n`);
    assert.equal(result.stdout.bytes, result.stdout.text.length);
    assert.equal(result.stderr.text, "");
    assert.ok(result.ms >= 0);
    assert.equal(await Deno.readTextFile(`${dir.path}/main.py`), code);
  });
  await t.step("capturing a non-zero exit code", async () => {
    const code = "import sys\nsys.exit(3)\n";
    const result = expectKind(
      await execute({ language: "python", code, dir: dir.path }, { timeoutMs: 20_000 }),
      "exited",
    );
    assert.equal(result.code, 3);
  });
  await t.step("capturing stderr of a crash", async () => {
    const code = "print('before')\nraise ValueError('boom')\n";
    const result = expectKind(
      await execute({ language: "python", code, dir: dir.path }, { timeoutMs: 20_000 }),
      "exited",
    );
    assert.equal(result.code, 1);
    assert.equal(result.stdout.text, "before\n");
    assert.match(result.stderr.text, /Traceback[\s\S]*ValueError: boom/);
  });
  await t.step("creating a missing dir and honouring fileName", async () => {
    const nested = `${dir.path}/a/b`;
    const program = { language: "python" as const, code: "print(1)", dir: nested, fileName: "solve.py" };
    const result = expectKind(await execute(program, { timeoutMs: 20_000 }), "exited");
    assert.equal(result.stdout.text, "1\n");
    assert.equal(await Deno.readTextFile(`${nested}/solve.py`), "print(1)");
  });
});

Deno.test("execute() runs a TypeScript program", SANDBOX, async () => {
  await using dir = await tempDir();
  const code = "const n: number = 6 * 7;\nconsole.log(n);\nconsole.error('to stderr');\nDeno.exit(4);\n";
  const result = expectKind(
    await execute({ language: "typescript", code, dir: dir.path }, { timeoutMs: 30_000 }),
    "exited",
  );
  assert.equal(result.code, 4);
  assert.equal(result.stdout.text, "42\n");
  assert.equal(result.stderr.text, "to stderr\n");
});

Deno.test("execute() kills the whole tree when the timeout passes", PYTHON_SANDBOX, async (t) => {
  for (const [name, setsidPath] of [["in a new session", undefined], ["without setsid", null]] as const) {
    await t.step(name, async () => {
      await using dir = await tempDir();
      const started = performance.now();
      const result = expectKind(
        await execute({ language: "python", code: FORKS_A_SLEEPER, dir: dir.path }, {
          timeoutMs: 1500,
          setsidPath,
        }),
        "timed_out",
      );
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 15_000, `took ${elapsed} ms, the sleeps last 100 s`);
      assert.ok(result.afterMs >= 1500);
      assert.equal(result.stdout.text, "started\n");
      const [pid, grandchild] = await readIds(dir.path);
      assert.equal(await pidAlive(pid), false);
      assert.equal(await pidAlive(grandchild), false);
    });
  }
});

Deno.test("execute() stops at an abort and leaves no process behind", PYTHON_SANDBOX, async (t) => {
  await t.step("aborted mid-run", async () => {
    await using dir = await tempDir();
    const controller = new AbortController();
    const running = execute(
      { language: "python", code: FORKS_A_SLEEPER, dir: dir.path },
      { timeoutMs: 60_000, signal: controller.signal },
    );
    const [pid, grandchild] = await readIds(dir.path);
    controller.abort();
    const result = expectKind(await running, "interrupted");
    assert.ok(result.afterMs < 60_000);
    assert.equal(result.stdout.text, "started\n");
    assert.equal(await pidAlive(pid), false);
    assert.equal(await pidAlive(grandchild), false);
  });
  await t.step("aborted before it started", async () => {
    await using dir = await tempDir();
    const result = await execute(
      { language: "python", code: "open('ran', 'w').write('1')", dir: dir.path },
      { timeoutMs: 60_000, signal: AbortSignal.abort() },
    );
    expectKind(result, "interrupted");
    await assert.rejects(Deno.stat(`${dir.path}/ran`), Deno.errors.NotFound);
  });
});

Deno.test(
  "execute() does not wait for a pipe held open after the program exited",
  PYTHON_SANDBOX,
  async (t) => {
    await t.step("in a new session the leftover is killed", async () => {
      await using dir = await tempDir();
      const code =
        `import subprocess\np = subprocess.Popen(["sleep", "100"])\nopen("ids", "w").write(str(p.pid))\nprint("done")`;
      const result = expectKind(
        await execute({ language: "python", code, dir: dir.path }, { timeoutMs: 20_000 }),
        "exited",
      );
      assert.equal(result.stdout.text, "done\n");
      assert.equal(await pidAlive(Number(await Deno.readTextFile(`${dir.path}/ids`))), false);
    });
    await t.step("without setsid the readers are cancelled after a grace period", async () => {
      await using dir = await tempDir();
      const code =
        `import subprocess\np = subprocess.Popen(["sleep", "100"])\nopen("ids", "w").write(str(p.pid))\nprint("done")`;
      const started = performance.now();
      const result = expectKind(
        await execute({ language: "python", code, dir: dir.path }, { timeoutMs: 20_000, setsidPath: null }),
        "exited",
      );
      const orphan = Number(await Deno.readTextFile(`${dir.path}/ids`));
      Deno.kill(orphan, "SIGKILL"); // nothing links it to the program any more: clean up by hand
      assert.ok(performance.now() - started < 15_000);
      assert.equal(result.code, 0);
      assert.equal(result.stdout.text, "done\n");
    });
  },
);

Deno.test("execute() caps output keeping head and tail", PYTHON_SANDBOX, async () => {
  await using dir = await tempDir();
  const lines = 5 * 1024 * 1024 / 16; // 16-byte lines: 5 MiB in all
  const code = `import sys\nsys.stdout.write("".join(f"line {i:010d}\\n" for i in range(${lines})))\n`;
  const result = expectKind(
    await execute({ language: "python", code, dir: dir.path }, { timeoutMs: 30_000 }),
    "exited",
  );
  assert.equal(result.code, 0);
  assert.equal(result.stdout.bytes, 5 * 1024 * 1024);
  assert.equal(result.stdout.truncated, true);
  assert.ok(result.stdout.text.startsWith("line 0000000000\nline 0000000001\n"));
  assert.ok(result.stdout.text.endsWith(`line ${String(lines - 1).padStart(10, "0")}\n`));
  assert.ok(result.stdout.text.includes(`\n${omittedMarker(5 * 1024 * 1024 - 65_536)}\n`));
  assert.ok(result.stdout.text.length < 66_000);
  assert.equal(result.stderr.truncated, false);
});

Deno.test("execute() leaks no environment variable of ours", PYTHON_SANDBOX, async (t) => {
  const previous = Deno.env.get("OPENAI_API_KEY");
  Deno.env.set("OPENAI_API_KEY", "sk-fake-do-not-leak");
  try {
    await using dir = await tempDir();
    await t.step("to Python", async () => {
      const code = "import json, os\nprint(json.dumps(dict(os.environ)))\n";
      const result = expectKind(
        await execute({ language: "python", code, dir: dir.path }, { timeoutMs: 20_000 }),
        "exited",
      );
      const env = JSON.parse(result.stdout.text);
      assert.equal(env.OPENAI_API_KEY, undefined);
      assert.ok(!result.stdout.text.includes("sk-fake-do-not-leak"));
      assert.deepEqual(
        Object.keys(env).filter((k) => k !== "LC_CTYPE").sort(),
        ["HOME", "LANG", "PATH", "PYTHONDONTWRITEBYTECODE", "PYTHONIOENCODING", "PYTHONUNBUFFERED"],
      );
      assert.equal(env.HOME, dir.path);
    });
    await t.step("to TypeScript, which may not even read its own", async () => {
      const code = "console.log(Deno.env.get('OPENAI_API_KEY'));\n";
      const result = expectKind(
        await execute({ language: "typescript", code, dir: dir.path }, { timeoutMs: 30_000 }),
        "exited",
      );
      assert.notEqual(result.code, 0);
      assert.match(result.stderr.text, /NotCapable: Requires env access/);
      assert.ok(!result.stdout.text.includes("sk-fake-do-not-leak"));
    });
  } finally {
    if (previous === undefined) Deno.env.delete("OPENAI_API_KEY");
    else Deno.env.set("OPENAI_API_KEY", previous);
  }
});

Deno.test("execute() refuses when the interpreter is missing", async (t) => {
  await using dir = await tempDir();
  await t.step("for Python", async () => {
    const result = expectKind(
      await execute({ language: "python", code: "print(1)", dir: dir.path }, {
        timeoutMs: 5_000,
        pythonPath: "/nonexistent/python3",
      }),
      "refused",
    );
    assert.match(result.reason, /Cannot run Python programs: \/nonexistent\/python3/);
  });
  await t.step("for TypeScript", async () => {
    const result = expectKind(
      await execute({ language: "typescript", code: "1", dir: dir.path }, {
        timeoutMs: 5_000,
        denoPath: "/nonexistent/deno",
      }),
      "refused",
    );
    assert.match(result.reason, /Cannot run TypeScript programs: \/nonexistent\/deno was not found/);
  });
});

Deno.test("executeFile() rejects arguments that are programmer errors", async () => {
  await assert.rejects(executeFile("python", "/tmp", "../main.py", { timeoutMs: 1000 }), RangeError);
  await assert.rejects(executeFile("python", "/tmp", "main.py", { timeoutMs: 0 }), RangeError);
  await assert.rejects(
    executeFile("python", "/tmp", "main.py", { timeoutMs: 1000, maxOutputBytes: 1 }),
    RangeError,
  );
});

Deno.test("execute() lets Python programs import numpy when it is installed", NUMPY, async (t) => {
  const python = await resolvePython();
  const probe = python.kind === "found"
    ? await new Deno.Command(python.path, { args: ["-c", "import numpy"], stderr: "null" }).output()
    : undefined;
  await t.step({
    name: "numpy",
    ignore: !probe?.success,
    fn: async () => {
      await using dir = await tempDir();
      const code = "import numpy as np\nprint(int(np.arange(5).sum()))\n";
      const result = expectKind(
        await execute({ language: "python", code, dir: dir.path }, { timeoutMs: 30_000 }),
        "exited",
      );
      assert.equal(result.stderr.text, "");
      assert.equal(result.stdout.text, "10\n");
    },
  });
});

Deno.test({
  name:
    "execute() as root refuses a work dir it cannot copy into the run's tmpfs, and leaves nothing mounted",
  ignore: Deno.uid() !== 0,
  fn: async () => {
    await using dir = await tempDir();
    await new Deno.Command("mkfifo", { args: [`${dir.path}/fifo`] }).output();
    const result = await execute({ language: "python", code: "print(1)", dir: dir.path }, {
      timeoutMs: 10_000,
    });
    assert.equal(result.kind, "refused", JSON.stringify(result));
    assert.match(
      result.kind === "refused" ? result.reason : "",
      /^Cannot prepare the sandbox: .*cannot take$/,
    );
    assert.ok(!(await Deno.readTextFile("/proc/self/mountinfo")).includes(dir.path), "nothing left mounted");
  },
});
