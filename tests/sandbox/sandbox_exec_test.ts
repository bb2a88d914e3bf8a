/**
 * The macOS sandbox profile is text: these tests check the text. It has not been run on macOS here
 * (this project's CI is Linux); SECURITY.md says so.
 */
import assert from "node:assert/strict";
import {
  profileString,
  sandboxExecArgs,
  sandboxExecProfile,
  ulimitScript,
} from "../../lib/sandbox/sandbox_exec.ts";
import { rlimitsFor } from "../../lib/sandbox/rlimits.ts";

const SPEC = {
  workDir: "/private/var/folders/ab/T/factory-x/work",
  writable: ["/private/var/folders/ab/T/factory-deno-dir-1"],
  readOnly: ["/opt/homebrew/Cellar/python@3.12/3.12.1"],
};

Deno.test("sandboxExecProfile() denies by default and opens only what a program needs", async (t) => {
  const profile = sandboxExecProfile(SPEC);
  const lines = profile.split("\n");
  await t.step("deny by default, no network at all", () => {
    assert.deepEqual(lines.slice(0, 2), ["(version 1)", "(deny default)"]);
    assert.ok(lines.includes("(deny network*)"));
    assert.ok(!profile.includes("(allow network"));
  });
  await t.step("writes only to the work dir and DENO_DIR", () => {
    const write = profile.slice(profile.indexOf("(allow file-write*"), profile.indexOf(")\n(deny network"));
    assert.deepEqual(write.match(/\(subpath "[^"]+"\)/g), [
      `(subpath "${SPEC.workDir}")`,
      `(subpath "${SPEC.writable[0]}")`,
    ]);
  });
  await t.step("reads the system, the interpreter and the work dir; never a home dir", () => {
    for (const path of ["/usr", "/System", SPEC.readOnly[0], SPEC.workDir]) {
      assert.ok(profile.includes(`(subpath "${path}")`), path);
    }
    assert.ok(!/\(subpath "\/Users|\(subpath "\/"\)/.test(profile));
  });
  await t.step("signals only within the sandbox", () => {
    assert.ok(lines.includes("(allow signal (target same-sandbox))"));
  });
});

Deno.test("profileString() quotes paths so they cannot close the string", () => {
  assert.equal(profileString('/tmp/a"b\\c'), '"/tmp/a\\"b\\\\c"');
  const profile = sandboxExecProfile({ ...SPEC, workDir: '/tmp/x") (allow default) ("' });
  assert.ok(!profile.includes("\n(allow default)"));
  assert.ok(profile.includes('(subpath "/tmp/x\\") (allow default) (\\"")'));
});

Deno.test("sandboxExecArgs() runs the command under the profile after the ulimits", () => {
  const limits = rlimitsFor({ language: "python", timeoutMs: 1000, cpus: 1, diskQuotaMb: 1 });
  assert.equal(
    ulimitScript(limits),
    'ulimit -t 6 && ulimit -f 2048 && ulimit -n 1024 && ulimit -c 0 && exec "$@"',
  );
  const args = sandboxExecArgs(SPEC, limits, ["/usr/bin/python3", "main.py"]);
  assert.equal(args[0], "-p");
  assert.deepEqual(args.slice(2), [
    "/bin/sh",
    "-c",
    ulimitScript(limits),
    "sh",
    "/usr/bin/python3",
    "main.py",
  ]);
});

Deno.test("ulimitScript() sets the limits in a real shell", async () => {
  const limits = rlimitsFor({ language: "python", timeoutMs: 1000, cpus: 1, diskQuotaMb: 1 });
  const out = await new Deno.Command("/bin/sh", {
    args: ["-c", ulimitScript(limits), "sh", "/bin/sh", "-c", "ulimit -t; ulimit -n; ulimit -c"],
  }).output();
  assert.equal(new TextDecoder().decode(out.stdout), "6\n1024\n0\n");
});
