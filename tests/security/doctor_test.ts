/** `factory doctor` reports whether the OS sandbox really works, not only whether bwrap is installed. */
import assert from "node:assert/strict";
import type { CommandResult, RunCommand } from "../../lib/host/command.ts";
import { doctor } from "../../lib/server/doctor.ts";
import { formatDoctor } from "../../lib/server/format_doctor.ts";
import type { CgroupSupport } from "../../lib/sandbox/cgroup.ts";

function machine(onPath: string[], bwrapProbe: CommandResult) {
  const which = (program: string) =>
    Promise.resolve(onPath.includes(program) ? `/usr/bin/${program}` : undefined);
  const run: RunCommand = (command) =>
    Promise.resolve(command.endsWith("bwrap") ? bwrapProbe : { kind: "not_found", command });
  return { which, run };
}

const TOOLS = ["bwrap", "prlimit", "sh", "setpriv", "mount", "true"];

async function sandboxItem(onPath: string[], probe: CommandResult) {
  const root = await Deno.makeTempDir();
  try {
    const report = await doctor({ root, os: "linux", arch: "x86_64", ...machine(onPath, probe) });
    return { item: report.items.find((i) => i.name === "bwrap")!, lines: formatDoctor(report) };
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("doctor() reports a bwrap that works, and what it isolates", async () => {
  const { item, lines } = await sandboxItem(TOOLS, { kind: "exited", code: 0, stdout: "", stderr: "" });
  assert.equal(item.presence.kind, "found");
  assert.match(
    item.presence.kind === "found" ? item.presence.detail : "",
    /^\/usr\/bin\/bwrap \(bubblewrap: no network, read-only system, .* the work dir is the only writable place/,
  );
  assert.ok(lines.some((l) => /^ {2}ok {7}bwrap/.test(l)));
});

Deno.test("doctor() reports a bwrap that is installed but blocked, with the fix", async () => {
  const probe = {
    kind: "exited" as const,
    code: 1,
    stdout: "",
    stderr: "bwrap: setting up uid map: Permission denied\n",
  };
  const { item, lines } = await sandboxItem(TOOLS, probe);
  assert.deepEqual(item.presence, {
    kind: "missing",
    detail: "bwrap cannot create a sandbox here: bwrap: setting up uid map: Permission denied",
    fix: "sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0   # Ubuntu 24.04+, see SECURITY.md",
  });
  assert.ok(lines.some((l) => l.includes("sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0")));
});

Deno.test({
  name: "doctor() as root without util-linux's setpriv says so",
  ignore: Deno.uid() !== 0,
  fn: async () => {
    const { item } = await sandboxItem(["bwrap", "prlimit", "sh", "true"], {
      kind: "exited",
      code: 0,
      stdout: "",
      stderr: "",
    });
    assert.equal(item.presence.kind, "missing");
    assert.equal(item.presence.kind === "missing" && item.presence.fix, "sudo apt-get install util-linux");
  },
});

Deno.test("doctor() says which control groups each run gets, or why none", async (t) => {
  const root = await Deno.makeTempDir();
  try {
    const report = (cgroups: () => Promise<CgroupSupport>, os = "linux") =>
      doctor({
        root,
        os,
        arch: "x86_64",
        ...machine(TOOLS, { kind: "exited", code: 0, stdout: "", stderr: "" }),
        cgroups,
      });
    await t.step("cgroup v1 as here", async () => {
      const v1: CgroupSupport = {
        kind: "v1",
        parents: { memory: "/m", pids: "/p", freezer: "/f" },
        swapAccounting: true,
      };
      const item = (await report(() => Promise.resolve(v1))).items.find((i) => i.name === "control groups")!;
      assert.equal(item.presence.kind, "found");
      assert.match(
        item.presence.kind === "found" ? item.presence.detail : "",
        /^cgroup v1 \(memory, pids, freezer, swap accounted\)/,
      );
    });
    await t.step("none: missing, with the fix", async () => {
      const none: CgroupSupport = { kind: "none", reason: "cgroup v2: not delegated" };
      const lines = formatDoctor(await report(() => Promise.resolve(none)));
      assert.ok(
        lines.some((l) =>
          /missing {2}control groups +cgroup v2: not delegated; runs have rlimits only/.test(l)
        ),
        lines.join("\n"),
      );
      assert.ok(lines.some((l) => l.includes("Delegate=yes")));
    });
    await t.step("macOS: not applicable", async () => {
      const item = (await report(() => Promise.reject(new Error("not asked")), "darwin")).items
        .find((i) => i.name === "control groups")!;
      assert.equal(item.presence.kind, "not_applicable");
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
