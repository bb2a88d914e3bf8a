/**
 * The `sandbox` setting through the real CLI: `auto` falls back with one warning line where bubblewrap
 * cannot work (a stand-in `bwrap` on PATH that fails like it does under Ubuntu's AppArmor rules),
 * `require` refuses before anything runs, and a working sandbox says nothing.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fakeOpenAIServer } from "../_fake_openai_server.ts";
import { coderReply, sheriffReply } from "../_fakes.ts";
import { FIB_PROGRAM, tempDir } from "../_helpers.ts";
import { runDirs, startCli } from "./_cli.ts";
import { requires } from "../_tier.ts";

const PYTHON_SANDBOX = requires("python3", "sandbox");
const BWRAP = requires("python3", "sandbox", "bubblewrap");

/** A dir holding a `bwrap` that fails the way a blocked one does. */
async function brokenBwrap(dir: string): Promise<string> {
  const bin = join(dir, "bin");
  await Deno.mkdir(bin);
  await Deno.writeTextFile(
    join(bin, "bwrap"),
    "#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n",
    { mode: 0o755 },
  );
  return bin;
}

async function run(dir: string, mode: string, env: Record<string, string>) {
  await using server = fakeOpenAIServer({ replies: [coderReply(FIB_PROGRAM), sheriffReply("PASS")] });
  const config = join(dir, "factory.yaml");
  await Deno.writeTextFile(config, `sandbox: ${mode}\n`);
  const out = join(dir, "runs");
  await using cli = startCli([
    "run",
    "fib",
    "--base-url",
    server.baseUrl,
    "--config",
    config,
    "--out",
    out,
    "--quiet",
  ], env);
  return { ...(await cli.finish()), out, chats: server.chatBodies.length };
}

Deno.test(
  "cli run: sandbox auto falls back with one warning line when bwrap cannot work",
  PYTHON_SANDBOX,
  async () => {
    await using dir = await tempDir();
    const path = `${await brokenBwrap(dir.path)}:${Deno.env.get("PATH")}`;
    const { code, stdout, stderr } = await run(dir.path, "auto", { PATH: path });
    assert.equal(code, 0, stderr);
    assert.equal(
      stderr,
      "warning: No OS sandbox: bwrap cannot create a sandbox here: bwrap: setting up uid map: Permission " +
        "denied; programs run with rlimits and a scrubbed environment only (set sandbox: require to refuse, see " +
        "SECURITY.md)\n",
    );
    assert.match(stdout, /^PASSED/);
  },
);

Deno.test("cli run: sandbox require refuses without a sandbox: exit 2, nothing run or written", async () => {
  await using dir = await tempDir();
  const path = `${await brokenBwrap(dir.path)}:${Deno.env.get("PATH")}`;
  const { code, stderr, out, chats } = await run(dir.path, "require", { PATH: path });
  assert.equal(code, 2);
  assert.equal(
    stderr,
    'error: No OS sandbox, and sandbox is "require": bwrap cannot create a sandbox here: bwrap: setting up ' +
      "uid map: Permission denied\n",
  );
  assert.deepEqual(await runDirs(out), []);
  assert.equal(chats, 0, "the model was never asked");
});

Deno.test("cli run: with a working sandbox, require and auto run quietly", BWRAP, async (t) => {
  for (const mode of ["require", "auto"]) {
    await t.step(mode, async () => {
      await using dir = await tempDir();
      const { code, stdout, stderr } = await run(dir.path, mode, {});
      assert.equal(code, 0, stderr);
      assert.equal(stderr, "");
      assert.match(stdout, /^PASSED/);
    });
  }
});
