import assert from "node:assert/strict";
import { contain, workDirProblem } from "../../lib/sandbox/contain.ts";
import type { Launch } from "../../lib/sandbox/_launch.ts";

const BASE: Launch = {
  command: "/usr/bin/python3",
  args: ["main.py"],
  env: { PATH: "/usr/bin" },
  cwd: "/var/tmp/w",
};

Deno.test("workDirProblem() keeps programs away from shared, system and home dirs", async (t) => {
  const cases: [string, string | undefined][] = [
    ["/var/tmp/factory-x/work", undefined],
    ["/work/main/runs/20261125-1-fib-0a1b/attempt-1/work", undefined],
    ["/root/project/runs/x/attempt-1/work", undefined],
    ["/", "it is a shared or system dir"],
    ["/tmp", "it is a shared or system dir"],
    ["/home", "it is a shared or system dir"],
    ["/usr/local/lib", "it is a system dir"],
    ["/etc", "it is a system dir"],
    ["/root", "it is a shared or system dir"],
    ["/home/ann", "it holds the home directory"],
  ];
  for (const [dir, problem] of cases) {
    await t.step(dir, () => assert.equal(workDirProblem(dir, "/home/ann"), problem));
  }
});

Deno.test("contain() without an OS sandbox adds only rlimits", async () => {
  const contained = await contain(BASE, {
    choice: { kind: "unsandboxed" },
    language: "python",
    timeoutMs: 1000,
    readOnly: [],
    maxProcesses: 64,
    diskQuotaMb: 2,
  });
  assert.match(contained.launch.command, /prlimit$/);
  assert.ok(contained.launch.args.includes(`--fsize=${2 * 1024 * 1024}`));
  assert.ok(
    !contained.launch.args.some((a) => a.startsWith("--nproc")),
    "NPROC would count all our processes",
  );
  assert.deepEqual(contained.launch.args.slice(-3), ["--", "/usr/bin/python3", "main.py"]);
  assert.equal(contained.limits.processes, undefined);
});

Deno.test("contain() refuses what the sandbox must not expose", async (t) => {
  const choice = {
    kind: "isolated" as const,
    isolation: {
      kind: "bwrap" as const,
      bwrap: "/usr/bin/bwrap",
      prlimit: "/usr/bin/prlimit",
      shell: "/bin/sh",
    },
    description: "",
  };
  const options = { choice, language: "python" as const, timeoutMs: 1000, maxProcesses: 8 };
  await t.step("a work dir that is a system dir", async () => {
    await assert.rejects(contain({ ...BASE, cwd: "/etc" }, { ...options, readOnly: [] }), RangeError);
  });
  await t.step("an interpreter living in /", async () => {
    await assert.rejects(
      contain(BASE, { ...options, readOnly: ["/"] }),
      /needs \/, which holds the home dir/,
    );
  });
  await t.step("a work dir like any other is wrapped in bwrap", async () => {
    const contained = await contain(BASE, { ...options, readOnly: [] });
    assert.equal(contained.launch.command, "/usr/bin/bwrap");
    assert.ok(contained.launch.args.includes("--nproc=8"));
  });
});
