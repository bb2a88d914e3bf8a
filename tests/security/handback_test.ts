/**
 * Class 2 of issue 11: root's change of owner redirected onto host files. A process of the sandbox uid
 * that outlives the run keeps swapping subdirectories of its work dir for symbolic links to a host dir
 * while factory takes the work dir back; a path-following walk as root would then change the owner and
 * mode of the host's files. Whatever factory does with the tree afterwards, no file outside the work dir
 * may change.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { killIfAlive, liveThreads, runHostile, zombieLeader } from "./_hostile.ts";

/** A host dir the attack aims at: set-uid files owned by another user, which root must never touch. */
async function victimDir(): Promise<{ dir: string; files: string[] } & AsyncDisposable> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ dir: "/var/tmp", prefix: "factory-victim-" }));
  const files = Array.from({ length: 20 }, (_, i) => join(dir, `f${String(i * 10).padStart(3, "0")}`));
  for (const file of files) {
    await Deno.writeTextFile(file, "#!/bin/sh\n");
    await Deno.chown(file, 12345, 12345);
    await Deno.chmod(file, 0o4755);
  }
  return { dir, files, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

/**
 * The swapper, in the surviving grandchild: 5 world-writable dirs of 200 files each (named like the
 * victim's), each dir swapped for a link to `victim` and back every 2 ms, for as long as it lives.
 */
function swapper(victim: string): string {
  return zombieLeader(`        def swap():
            os.makedirs("d", exist_ok=True); os.chmod("d", 0o777)
            d = os.open("d", os.O_RDONLY | os.O_DIRECTORY)  # keeps working once the work dir is root's 0700
            names = [f"s{i}" for i in range(5)]
            for n in names:
                os.mkdir(n, dir_fd=d); os.chmod(f"d/{n}", 0o777)
                for j in range(200): open(f"d/{n}/f{j:03d}", "w").close()
            while True:
                for n in names:
                    try:
                        os.rename(n, n + ".real", src_dir_fd=d, dst_dir_fd=d)
                        os.symlink(${JSON.stringify(victim)}, n, dir_fd=d)
                    except BaseException: pass
                time.sleep(0.002)
                for n in names:
                    try: os.unlink(n, dir_fd=d); os.rename(n + ".real", n, src_dir_fd=d, dst_dir_fd=d)
                    except BaseException: pass
                try: os.path.exists("swapping") or open("swapping", "w").close()
                except BaseException: pass
                time.sleep(0.002)
        threading.Thread(target=swap).start()
        while not os.path.exists("swapping"): time.sleep(0.01)`);
}

Deno.test("execute() changes no owner or mode outside the work dir while a survivor swaps links", async () => {
  await using victim = await victimDir();
  const before = await Promise.all(victim.files.map((f) => Deno.lstat(f)));
  await using run = await runHostile("python", swapper(victim.dir));
  const pid = Number(await run.read("survivor").catch(() => "0"));
  try {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = await Promise.all(victim.files.map((f) => Deno.lstat(f)));
    for (const [i, info] of after.entries()) {
      assert.deepEqual(
        { uid: info.uid, gid: info.gid, mode: info.mode },
        { uid: before[i].uid, gid: before[i].gid, mode: before[i].mode },
        `${victim.files[i]} changed`,
      );
    }
    if (pid > 0) assert.equal(await liveThreads(pid), 0, "the swapper is dead");
  } finally {
    if (pid > 0) killIfAlive(pid);
  }
});
