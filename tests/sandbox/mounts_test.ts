import assert from "node:assert/strict";
import { join } from "node:path";
import { ffiMounter, type Mounter, toolMounter } from "../../lib/sandbox/_mounts.ts";
import { tempDir } from "./_temp_dir.ts";

Deno.test({
  name: "Mounter: a private bind and a capped tmpfs over a dir, then both gone (FFI and util-linux alike)",
  ignore: Deno.uid() !== 0,
  fn: async (t) => {
    const mounters: [string, Mounter | undefined][] = [["ffi", ffiMounter()], [
      "util-linux",
      await toolMounter(),
    ]];
    for (const [name, mounts] of mounters) {
      if (!mounts) continue;
      await t.step(name, async () => {
        await using work = await tempDir();
        await using aside = await tempDir();
        await Deno.writeTextFile(join(work.path, "main.py"), "pass");
        await mounts.bindPrivate(work.path, aside.path);
        await mounts.tmpfs(`factory-${Deno.pid}`, work.path, "size=65536,nr_inodes=4,mode=0700");
        try {
          assert.deepEqual(await Array.fromAsync(Deno.readDir(work.path)), [], "the tmpfs covers the dir");
          assert.equal(
            await Deno.readTextFile(join(aside.path, "main.py")),
            "pass",
            "the bind shows what is under it",
          );
          await assert.rejects(Deno.writeFile(join(work.path, "big"), new Uint8Array(200_000)), /space/i);
        } finally {
          await mounts.unmount([work.path, aside.path]);
        }
        assert.equal(await Deno.readTextFile(join(work.path, "main.py")), "pass");
        assert.ok(!(await Deno.readTextFile("/proc/self/mountinfo")).includes(work.path));
      });
    }
  },
});
