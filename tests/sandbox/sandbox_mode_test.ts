import assert from "node:assert/strict";
import { describe, detectIsolation, type Isolation, resolveSandbox } from "../../lib/sandbox/sandbox_mode.ts";
import { execute } from "../../lib/sandbox/execute.ts";
import { tempDir } from "./_temp_dir.ts";
import { requires } from "../_tier.ts";

const PYTHON_SANDBOX = requires("python3", "sandbox");

const BWRAP: Isolation = {
  kind: "bwrap",
  bwrap: "/usr/bin/bwrap",
  prlimit: "/usr/bin/prlimit",
  shell: "/bin/sh",
};
const NONE: Isolation = { kind: "none", reason: "bwrap was not found (sudo apt-get install bubblewrap)" };

/** A machine whose PATH holds `tools`, whose probe ends with `probe`, recording what was probed. */
function machine(tools: string[], probe = { code: 0, stderr: "" }) {
  const probed: string[][] = [];
  return {
    probed,
    find: (name: string) => Promise.resolve(tools.includes(name) ? `/usr/bin/${name}` : null),
    run: (command: string, args: string[]) => {
      probed.push([command, ...args]);
      return Promise.resolve(probe);
    },
  };
}

Deno.test("resolveSandbox() turns the mode and this machine into a choice", async (t) => {
  await t.step("auto with a sandbox uses it, describing what it isolates", async () => {
    const choice = await resolveSandbox("auto", { detect: () => Promise.resolve(BWRAP) });
    assert.equal(choice.kind, "isolated");
    assert.match(choice.kind === "isolated" ? choice.description : "", /no network.*user and pid namespaces/);
  });
  await t.step("auto without one falls back with a one-line warning naming the reason", async () => {
    const choice = await resolveSandbox("auto", { detect: () => Promise.resolve(NONE) });
    assert.equal(choice.kind, "unsandboxed");
    const warning = choice.kind === "unsandboxed" ? choice.warning ?? "" : "";
    assert.match(warning, /^No OS sandbox: bwrap was not found .*sandbox: require/);
    assert.ok(!warning.includes("\n"));
  });
  await t.step("require without one refuses", async () => {
    const choice = await resolveSandbox("require", { detect: () => Promise.resolve(NONE) });
    assert.deepEqual(choice, {
      kind: "refused",
      reason:
        'No OS sandbox, and sandbox is "require": bwrap was not found (sudo apt-get install bubblewrap)',
    });
  });
  await t.step("off never looks and never warns", async () => {
    const choice = await resolveSandbox("off", { detect: () => Promise.reject(new Error("looked")) });
    assert.deepEqual(choice, { kind: "unsandboxed" });
  });
});

Deno.test("detectIsolation() finds what works here", async (t) => {
  await t.step("linux as root: bwrap, prlimit and setpriv, probed with a user switch", async () => {
    const m = machine(["bwrap", "prlimit", "sh", "setpriv", "mount", "true"]);
    const isolation = await detectIsolation({ os: "linux", uid: 0, ...m });
    assert.deepEqual(isolation, {
      kind: "bwrap",
      bwrap: "/usr/bin/bwrap",
      prlimit: "/usr/bin/prlimit",
      shell: "/usr/bin/sh",
      switchUser: { setpriv: "/usr/bin/setpriv", mount: "/usr/bin/mount" },
    });
    const probe = m.probed[0].join(" ");
    assert.match(
      probe,
      /--unshare-net .*\/usr\/bin\/setpriv --reuid=21\d{8} .*\/usr\/bin\/prlimit .*\/usr\/bin\/true$/,
    );
  });
  await t.step("linux as a user: namespaces instead of a user switch", async () => {
    const m = machine(["bwrap", "prlimit", "sh", "true"]);
    const isolation = await detectIsolation({ os: "linux", uid: 1000, ...m });
    assert.equal(isolation.kind === "bwrap" && isolation.switchUser, undefined);
    assert.match(m.probed[0].join(" "), /--unshare-user --unshare-pid/);
  });
  await t.step("linux where bwrap cannot make namespaces (AppArmor): none, with bwrap's words", async () => {
    const m = machine(["bwrap", "prlimit", "sh", "true"], {
      code: 1,
      stderr: "bwrap: setting up uid map: Permission denied\n",
    });
    assert.deepEqual(await detectIsolation({ os: "linux", uid: 1000, ...m }), {
      kind: "none",
      reason: "bwrap cannot create a sandbox here: bwrap: setting up uid map: Permission denied",
    });
  });
  await t.step("linux without bwrap, or without util-linux", async () => {
    assert.deepEqual(await detectIsolation({ os: "linux", uid: 0, ...machine([]) }), NONE);
    const noSetpriv = await detectIsolation({
      os: "linux",
      uid: 0,
      ...machine(["bwrap", "prlimit", "sh", "true"]),
    });
    assert.match(noSetpriv.kind === "none" ? noSetpriv.reason : "", /^setpriv, mount \(util-linux/);
  });
  await t.step("macOS: sandbox-exec", async () => {
    assert.deepEqual(await detectIsolation({ os: "darwin", ...machine(["sandbox-exec"]) }), {
      kind: "sandbox_exec",
      path: "/usr/bin/sandbox-exec",
    });
  });
  await t.step("windows: none", async () => {
    const isolation = await detectIsolation({ os: "windows", ...machine([]) });
    assert.deepEqual(isolation, { kind: "none", reason: "no OS sandbox is known for windows" });
  });
  await t.step("this machine, cached", async () => {
    const [first, second] = [detectIsolation(), detectIsolation()];
    assert.equal(first, second);
    assert.notEqual((await first).kind, undefined);
  });
});

Deno.test("describe() says what a sandbox isolates", () => {
  assert.match(describe({ ...BWRAP, switchUser: { setpriv: "s", mount: "m" } }), /a fresh uid per run/);
  assert.match(
    describe({ kind: "sandbox_exec", path: "/usr/bin/sandbox-exec" }),
    /^sandbox-exec: no network/,
  );
});

Deno.test("execute() honours the sandbox mode", PYTHON_SANDBOX, async (t) => {
  await using dir = await tempDir();
  const program = { language: "python" as const, code: "print('ran')", dir: dir.path };
  const none = () => Promise.resolve(NONE);
  await t.step("require on a machine without a sandbox: refused, nothing run", async () => {
    const result = await execute(program, { timeoutMs: 10_000, sandbox: "require", detectIsolation: none });
    assert.equal(result.kind, "refused");
    assert.match(result.kind === "refused" ? result.reason : "", /sandbox is "require"/);
  });
  await t.step("auto on a machine without a sandbox: runs with rlimits only", async () => {
    const result = await execute(
      { ...program, code: "import resource\nprint(resource.getrlimit(resource.RLIMIT_FSIZE)[0])" },
      { timeoutMs: 10_000, sandbox: "auto", detectIsolation: none, diskQuotaMb: 7 },
    );
    assert.equal(result.kind === "exited" && result.stdout.text, `${7 * 1024 * 1024}\n`);
  });
  await t.step("off: runs without an OS sandbox even where there is one", async () => {
    const result = await execute(
      { ...program, code: "import os\nprint(os.getuid(), os.path.exists('/etc/hostname'))" },
      { timeoutMs: 10_000, sandbox: "off" },
    );
    assert.equal(result.kind === "exited" && result.stdout.text, `${Deno.uid()} True\n`);
  });
});
