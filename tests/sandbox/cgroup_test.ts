import assert from "node:assert/strict";
import { join } from "node:path";
import { describeCgroups, detectCgroups, parseSelfCgroup } from "../../lib/sandbox/cgroup.ts";
import { counterOf, runGroup } from "../../lib/sandbox/run_group.ts";
import { tempDir } from "./_temp_dir.ts";

Deno.test("parseSelfCgroup() reads each hierarchy's path of our group", () => {
  const paths = parseSelfCgroup(
    "9:name=systemd:/\n4:memory:/process_api/abc\n2:cpu,cpuacct:/x\n0::/user.slice\n",
  );
  assert.equal(paths.get("memory"), "/process_api/abc");
  assert.equal(paths.get("cpuacct"), "/x");
  assert.equal(paths.get("cpu,cpuacct"), undefined);
  assert.equal(paths.get(""), "/user.slice");
});

Deno.test("detectCgroups() finds what a hierarchy offers, probing by making a group", async (t) => {
  await t.step("cgroup v1 with memory, pids and freezer", async () => {
    await using root = await tempDir();
    for (const c of ["memory", "pids", "freezer"]) {
      await Deno.mkdir(join(root.path, c, "mine"), { recursive: true });
      await Deno.writeTextFile(join(root.path, c, "mine", "cgroup.procs"), "");
    }
    const support = await detectCgroups({
      root: root.path,
      os: "linux",
      selfCgroup: "5:memory:/mine\n6:pids:/mine\n7:freezer:/mine\n0::/\n",
    });
    assert.deepEqual(support, {
      kind: "v1",
      parents: ["memory", "pids", "freezer"].reduce(
        (o, c) => ({ ...o, [c]: join(root.path, c, "mine") }),
        {},
      ),
      swapAccounting: false,
    });
    assert.match(describeCgroups(support), /^cgroup v1 \(memory, pids, freezer\)/);
  });
  await t.step("cgroup v2 delegated: a group is made beside ours", async () => {
    await using root = await tempDir();
    await Deno.writeTextFile(join(root.path, "cgroup.controllers"), "cpu memory pids\n");
    await Deno.mkdir(join(root.path, "user.slice", "me"), { recursive: true });
    await Deno.writeTextFile(join(root.path, "user.slice", "cgroup.subtree_control"), "memory pids\n");
    await Deno.writeTextFile(join(root.path, "user.slice", "me", "cgroup.subtree_control"), "");
    const support = await detectCgroups({ root: root.path, os: "linux", selfCgroup: "0::/user.slice/me\n" });
    assert.deepEqual(support, { kind: "v2", parent: join(root.path, "user.slice") });
  });
  await t.step("v2 without memory (hugetlb only) and no v1: none, saying why", async () => {
    await using root = await tempDir();
    await Deno.writeTextFile(join(root.path, "cgroup.controllers"), "hugetlb\n");
    const support = await detectCgroups({ root: root.path, os: "linux", selfCgroup: "0::/\n" });
    assert.equal(support.kind, "none");
    assert.match(describeCgroups(support), /no cgroup v1 memory hierarchy.*no memory and pids controllers/);
  });
  await t.step("macOS: none", async () => {
    assert.deepEqual(await detectCgroups({ os: "darwin" }), {
      kind: "none",
      reason: "no control groups on darwin",
    });
  });
});

Deno.test("counterOf() reads a flat-keyed cgroup file", () => {
  assert.equal(counterOf("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n", "oom_kill"), 3);
  assert.equal(counterOf("max 0\n", "max"), 0);
  assert.equal(counterOf("", "max"), 0);
});

Deno.test({
  name: "runGroup() bounds a real run and kills every task in it, zombie leaders' threads included",
  ignore: Deno.uid() !== 0,
  fn: async () => {
    const support = await detectCgroups();
    if (support.kind === "none") return;
    const group = runGroup(support, { memoryBytes: 64 * 1024 * 1024, maxTasks: 16 });
    await group.create();
    try {
      const joins = group.joinFiles.map((f) => `echo $$ > ${f}`).join(" && ");
      // The shell's child ends its leader thread alone (raw exit), a thread keeps running.
      const code = "import ctypes,threading,time,platform\n" +
        "threading.Thread(target=lambda: time.sleep(300)).start()\n" +
        "ctypes.CDLL(None).syscall({'x86_64': 60, 'aarch64': 93}[platform.machine()], 0)";
      const child = new Deno.Command("sh", {
        args: ["-c", `${joins} && exec python3 -c "$0"`, code],
        stdout: "null",
        stderr: "null",
      }).spawn();
      const deadline = Date.now() + 10_000;
      const tasksFile = group.joinFiles.at(-1)!.replace(
        "cgroup.procs",
        support.kind === "v1" ? "tasks" : "cgroup.threads",
      );
      while ((await Deno.readTextFile(tasksFile)).trim().split("\n").length < 2 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const { empty, signalled } = await group.kill();
      assert.ok(empty, "the group is empty");
      assert.ok(signalled >= 1);
      await child.status;
      const usage = await group.usage();
      assert.ok((usage.peakMemoryBytes ?? 1) <= 64 * 1024 * 1024);
    } finally {
      await group.remove();
    }
    for (const file of group.joinFiles) {
      await assert.rejects(Deno.stat(file), Deno.errors.NotFound, "the group is removed");
    }
  },
});
