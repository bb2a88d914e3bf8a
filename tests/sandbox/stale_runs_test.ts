import assert from "node:assert/strict";
import { detectCgroups } from "../../lib/sandbox/cgroup.ts";
import { ownerTag, runGroup } from "../../lib/sandbox/run_group.ts";
import { staleMounts, sweepStaleRuns } from "../../lib/sandbox/stale_runs.ts";
import { tempDir } from "./_temp_dir.ts";

const MOUNTINFO = [
  "36 25 0:32 / /work/runs/a/attempt-1/work rw,relatime - tmpfs factory-11-4242 rw,size=1024k,uid=2100000001",
  "37 25 8:1 /work/runs/a/attempt-1/work /tmp/factory-mounts-11-4242-x1/0f2c rw - ext4 /dev/vda rw",
  "38 25 0:33 / /work/runs/b/attempt-1/work rw - tmpfs factory-11-777 rw",
  "39 25 0:34 / /tmp/with\\040space rw - tmpfs factory-11-4242 rw",
  "40 25 0:35 / /dev/shm rw - tmpfs tmpfs rw",
  "41 25 0:36 / /work/runs/c/attempt-1/work rw - tmpfs factory-22-4242 rw",
].join("\n");

Deno.test("staleMounts() finds a dead factory's tmpfs and binds, deepest first", () => {
  assert.deepEqual(staleMounts(MOUNTINFO, (ns, pid) => ns === "11" && pid === 4242), [
    "/tmp/factory-mounts-11-4242-x1/0f2c",
    "/work/runs/a/attempt-1/work",
    "/tmp/with space",
  ]);
  assert.deepEqual(staleMounts(MOUNTINFO, () => false), []);
});

Deno.test({
  name: "sweepStaleRuns() kills and removes a dead factory's group and unmounts its work dir",
  ignore: Deno.uid() !== 0,
  fn: async () => {
    const support = await detectCgroups();
    if (support.kind === "none") return;
    const name = `factory-${ownerTag().split("-")[0]}-999999-1-0badcafe`;
    const group = runGroup(support, { memoryBytes: 64 << 20, maxTasks: 8 }, name);
    await group.create();
    const child = new Deno.Command("sh", {
      args: ["-c", `${group.joinFiles.map((f) => `echo $$ > ${f}`).join(" && ")} && exec sleep 300`],
    }).spawn();
    const procs = group.joinFiles.at(-1)!;
    for (let i = 0; i < 500 && (await Deno.readTextFile(procs)).trim() === ""; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await using dir = await tempDir();
    const unmounted: string[] = [];
    const swept = await sweepStaleRuns(support, {
      alive: (pid) => pid !== 999999,
      mountinfo: `50 25 0:40 / ${dir.path} rw - tmpfs factory-${ownerTag().split("-")[0]}-999999 rw\n` +
        `51 25 0:41 / /elsewhere rw - tmpfs factory-1-999999 rw`,
      unmount: (path) => Promise.resolve(void unmounted.push(path)),
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const status = await Promise.race([
      child.status,
      new Promise((r) => timer = setTimeout(() => r("alive"), 3000)),
    ]);
    clearTimeout(timer);
    if (status === "alive") child.kill("SIGKILL");
    await child.status;
    assert.deepEqual(swept.groups, [name]);
    assert.equal((await child.status).signal, "SIGKILL", "the survivor in the group is killed");
    assert.notEqual(status, "alive");
    for (const file of group.joinFiles) await assert.rejects(Deno.stat(file), Deno.errors.NotFound);
    assert.deepEqual(unmounted, [dir.path]);
  },
});
