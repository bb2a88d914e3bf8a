/**
 * Hostile programs against the file system: secrets outside the work dir, writes outside it, symbolic
 * links, and `..` in file names. Each runs through the real executor (`execute()`, sandbox `auto`).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { execute, executeFile } from "../../lib/sandbox/execute.ts";
import { runChecks } from "../../lib/sandbox/checks.ts";
import { assertIsolated, expectKind, output, outsideWorld, runHostile, SMALL } from "./_hostile.ts";
import { requires } from "../_tier.ts";

const BWRAP = requires("bubblewrap");
const PYTHON_SANDBOX = requires("python3", "sandbox");

const REPO_FILE = join(Deno.cwd(), "deno.json");

Deno.test("the security suite runs on a machine with an OS sandbox", BWRAP, assertIsolated);

Deno.test("execute() keeps secrets outside the work dir out of reach", PYTHON_SANDBOX, async (t) => {
  await using world = await outsideWorld();
  const targets = [world.key, "/etc/shadow", REPO_FILE, "/root/.ssh/id_rsa", "/root/.bash_history"];
  await t.step("python: reading ~/.ssh, /etc/shadow and the repo", async () => {
    const code = `import os
for path in ${JSON.stringify(targets)} + [os.path.expanduser("~/.ssh/id_ed25519")]:
    try:
        print("READ", path, open(path).read()[:80])
    except Exception as e:
        print("DENIED", path, type(e).__name__)
import json
print("LISTING", json.dumps(sorted(os.listdir("/"))))`;
    await using run = await runHostile("python", code);
    const result = expectKind(run.result, "exited");
    assert.equal(result.code, 0, output(result));
    assert.doesNotMatch(result.stdout.text, /^READ/m);
    assert.equal(result.stdout.text.match(/^DENIED .* FileNotFoundError$/gm)?.length, targets.length + 1);
    assert.ok(!output(result).includes(world.secret));
    const listing = JSON.parse(result.stdout.text.split("LISTING ")[1]) as string[];
    const system = ["bin", "dev", "etc", "lib", "lib64", "proc", "root", "sbin", "tmp", "usr", "var"];
    assert.deepEqual(listing.filter((name) => !system.includes(name)), [], "no home and no repo inside");
    assert.ok(!listing.includes("home") && !listing.includes("work"));
  });
  await t.step("typescript: reading the same files (permissions and the sandbox)", async () => {
    const code = `for (const path of ${JSON.stringify(targets)}) {
  try { console.log("READ", path, (await Deno.readTextFile(path)).slice(0, 80)); }
  catch (e) { console.log("DENIED", path, (e as Error).name); }
}`;
    await using run = await runHostile("typescript", code);
    const result = expectKind(run.result, "exited");
    assert.equal(result.code, 0, output(result));
    assert.doesNotMatch(result.stdout.text, /^READ/m);
    assert.equal(result.stdout.text.match(/^DENIED .* NotCapable$/gm)?.length, targets.length);
    assert.ok(!output(result).includes(world.secret));
  });
  await world.assertUntouched();
});

Deno.test("execute() lets a program write only inside its work dir", PYTHON_SANDBOX, async (t) => {
  await using world = await outsideWorld();
  const host = `/tmp/factory-escape-${crypto.randomUUID()}`;
  const places = [world.target, join(world.home, "new.txt"), host, "/usr/pwned", "/etc/pwned"];
  await t.step("python", async () => {
    const code = `for path in ${JSON.stringify(places)} + ["../escaped.txt", "inside.txt"]:
    try:
        open(path, "w").write("pwned")
        print("WROTE", path)
    except Exception as e:
        print("DENIED", path, type(e).__name__)`;
    await using run = await runHostile("python", code);
    const result = expectKind(run.result, "exited");
    assert.equal(result.code, 0, output(result));
    // The private /tmp takes the write to /tmp; it is gone with the sandbox.
    assert.deepEqual(result.stdout.text.match(/^WROTE .*$/gm), [`WROTE ${host}`, "WROTE inside.txt"]);
    assert.equal(await run.read("inside.txt"), "pwned");
    await assert.rejects(Deno.stat(join(run.dir, "..", "escaped.txt")), Deno.errors.NotFound);
  });
  await t.step("typescript", async () => {
    const code = `for (const path of ${JSON.stringify(places)}) {
  try { await Deno.writeTextFile(path, "pwned"); console.log("WROTE", path); }
  catch (e) { console.log("DENIED", path, (e as Error).name); }
}`;
    await using run = await runHostile("typescript", code);
    assert.doesNotMatch(expectKind(run.result, "exited").stdout.text, /^WROTE/m);
  });
  await assert.rejects(Deno.stat(host), Deno.errors.NotFound);
  await assert.rejects(Deno.stat("/usr/pwned"), Deno.errors.NotFound);
  await world.assertUntouched();
});

Deno.test("execute() follows no symbolic link out of the work dir", PYTHON_SANDBOX, async (t) => {
  await using world = await outsideWorld();
  await t.step("python: links to a secret and to a target, read and written", async () => {
    const code = `import os
os.symlink(${JSON.stringify(world.key)}, "key")
os.symlink(${JSON.stringify(world.target)}, "target")
os.symlink("/", "root")
for name in ["key", "target"]:
    try: print("READ", name, open(name).read())
    except Exception as e: print("DENIED read", name, type(e).__name__)
try:
    open("target", "w").write("pwned"); print("WROTE target")
except Exception as e: print("DENIED write", type(e).__name__)
print("ROOT", sorted(os.listdir("root")))`;
    await using run = await runHostile("python", code);
    const result = expectKind(run.result, "exited");
    assert.doesNotMatch(result.stdout.text, /^(READ|WROTE)/m, output(result));
    assert.ok(!output(result).includes(world.secret));
    // The links stay in the work dir, owned by us again, and still pointing where they pointed.
    assert.equal(await Deno.readLink(join(run.dir, "target")), world.target);
    const checks = await runChecks({ files: ["key", "target"] }, result, {
      dir: run.dir,
      language: "python",
      timeoutMs: 10_000,
    });
    assert.equal(checks[0].passed, false);
    assert.match(checks[0].detail, /"key" leads outside the work dir; "target" leads outside/);
  });
  await t.step(
    "python: a test_main.py link planted for the test check is neither followed nor used",
    async () => {
      const code = `import os\nos.symlink(${JSON.stringify(world.target)}, "test_main.py")\nprint("planted")`;
      await using run = await runHostile("python", code);
      const result = expectKind(run.result, "exited");
      const checks = await runChecks({ test: "print('the real test')" }, result, {
        dir: run.dir,
        language: "python",
        timeoutMs: 10_000,
        program: code,
        ...SMALL,
      });
      assert.equal(checks[0].passed, true, checks[0].detail);
      assert.equal((await Deno.lstat(join(run.dir, "test_main.py"))).isSymlink, true, "left where it was");
      assert.equal(await Deno.readTextFile(world.target), "original\n");
    },
  );
  await world.assertUntouched();
});

Deno.test("execute() takes no file name with a path in it", async (t) => {
  await using world = await outsideWorld();
  for (const fileName of ["../main.py", "/etc/passwd", "a/../../b.py", ".."]) {
    await t.step(fileName, async () => {
      const program = { language: "python" as const, code: "print(1)", dir: world.home, fileName };
      await assert.rejects(execute(program, { timeoutMs: 5_000 }), RangeError);
      await assert.rejects(executeFile("python", world.home, fileName, { timeoutMs: 5_000 }), RangeError);
    });
  }
  await t.step("checks.files with .. fails without looking outside", async () => {
    const result = { kind: "exited" as const, code: 0, stdout: EMPTY, stderr: EMPTY, ms: 1 };
    const [check] = await runChecks({ files: ["../target.txt", "/etc/passwd"] }, result, {
      dir: join(world.home, ".ssh"),
      language: "python",
      timeoutMs: 1000,
    });
    assert.equal(check.passed, false);
    assert.match(
      check.detail,
      /"\.\.\/target\.txt" is outside the work dir; "\/etc\/passwd" is not a relative path/,
    );
  });
  await world.assertUntouched();
});

const EMPTY = { text: "", bytes: 0, truncated: false };
