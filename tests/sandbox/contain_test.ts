import assert from "node:assert/strict";
import { contain, workDirProblem } from "../../lib/sandbox/contain.ts";
import type { Launch } from "../../lib/sandbox/_launch.ts";
import type { CgroupSupport } from "../../lib/sandbox/cgroup.ts";
import { ownerTag } from "../../lib/sandbox/run_group.ts";

/** A machine without control groups, so the launch is the sandbox's own command line. */
const NO_CGROUPS = () => Promise.resolve<CgroupSupport>({ kind: "none", reason: "test" });
/** A machine with cgroup v1. */
const V1: CgroupSupport = {
  kind: "v1",
  parents: {
    memory: "/sys/fs/cgroup/memory",
    pids: "/sys/fs/cgroup/pids",
    freezer: "/sys/fs/cgroup/freezer",
  },
  swapAccounting: false,
};

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
    cgroups: NO_CGROUPS,
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
  const options = {
    choice,
    language: "python" as const,
    timeoutMs: 1000,
    maxProcesses: 8,
    cgroups: NO_CGROUPS,
  };
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
    const { command, args } = contained.launch;
    assert.equal(command, "/bin/sh", "a launcher opens the seccomp filter on fd 9 for bwrap");
    assert.match(args[1], /^exec 9<'\/[^']+\/keyring\.bpf' && exec "\$@"$/);
    assert.equal(args[3], "/usr/bin/bwrap");
    assert.equal(args[args.indexOf("--seccomp") + 1], "9");
    assert.ok(args.includes("--nproc=8"));
    await contained.restore();
  });
});

Deno.test("contain() starts the program inside its control group", async () => {
  const contained = await contain(BASE, {
    choice: { kind: "unsandboxed" },
    language: "python",
    timeoutMs: 1000,
    readOnly: [],
    maxProcesses: 64,
    cgroups: () => Promise.resolve(V1),
  });
  const { command, args } = contained.launch;
  assert.match(command, /\/sh$/);
  assert.equal(args[0], "-c");
  const joins = [...args[1].matchAll(/echo \$\$ > '([^']+)'/g)].map((m) => m[1]);
  assert.equal(joins.length, 3, args[1]);
  for (const [i, controller] of ["memory", "pids", "freezer"].entries()) {
    assert.match(
      joins[i],
      new RegExp(`^/sys/fs/cgroup/${controller}/factory-${ownerTag()}-\\d+-[0-9a-f]{8}/cgroup\\.procs$`),
    );
  }
  assert.ok(args[1].endsWith(`exec "$@"`));
  assert.deepEqual(args.slice(-2), ["/usr/bin/python3", "main.py"]);
  assert.deepEqual((await contained.restore()).notes, [], "nothing made, nothing to note");
});
