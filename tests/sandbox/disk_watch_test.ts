import assert from "node:assert/strict";
import { join } from "node:path";
import { measureDir, watchDisk } from "../../lib/sandbox/disk_watch.ts";
import { tempDir } from "./_temp_dir.ts";

Deno.test("measureDir() counts allocated bytes and entries, without following links", async (t) => {
  await using dir = await tempDir();
  await Deno.mkdir(join(dir.path, "sub"));
  await Deno.writeFile(join(dir.path, "sub", "a.bin"), new Uint8Array(100_000).fill(1));
  await Deno.symlink("/usr", join(dir.path, "usr"));
  await t.step("a small tree", async () => {
    const usage = await measureDir(dir.path, 100);
    assert.equal(usage.entries, 3);
    assert.equal(usage.complete, true);
    assert.ok(usage.bytes >= 100_000 && usage.bytes < 200_000, String(usage.bytes));
  });
  await t.step("a sparse file counts what it uses, not its length", async () => {
    const file = await Deno.open(join(dir.path, "sparse"), { write: true, create: true });
    await file.truncate(10 * 1024 ** 3);
    file.close();
    assert.ok((await measureDir(dir.path, 100)).bytes < 1024 * 1024);
  });
  await t.step("stopping at the entry cap", async () => {
    assert.deepEqual((await measureDir(dir.path, 2)).complete, false);
  });
});

Deno.test("watchDisk() says when a dir passes its quota, and ends quietly on abort", async (t) => {
  await using dir = await tempDir();
  await t.step("over the quota", async () => {
    await Deno.writeFile(join(dir.path, "big"), new Uint8Array(300_000).fill(1));
    const controller = new AbortController();
    const why = await watchDisk(dir.path, { quotaBytes: 100_000, intervalMs: 10, signal: controller.signal });
    assert.match(why ?? "", /^its work dir passed the disk quota of 0\.1 MiB \(0\.\d MiB written\)$/);
  });
  await t.step("over the entry cap", async () => {
    const controller = new AbortController();
    const why = await watchDisk(dir.path, { quotaBytes: 1e9, maxEntries: 0, signal: controller.signal });
    assert.equal(why, "its work dir holds more than 0 entries");
  });
  await t.step("aborted under the quota", async () => {
    const controller = new AbortController();
    const watching = watchDisk(dir.path, { quotaBytes: 1e9, intervalMs: 10, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    assert.equal(await watching, undefined);
  });
});

Deno.test("measureDir() counts entries it cannot measure by name; watchDisk() takes them for a breach", async (t) => {
  for (
    const [name, code] of [
      ["a name that is not UTF-8", 'open(b"\\xff\\xfe", "wb").write(b"x" * 100000)'],
      [
        "a path longer than PATH_MAX",
        `import os
fd = os.open(".", os.O_RDONLY)
for level in range(20):
    os.mkdir("d" * 250, dir_fd=fd)
    fd = os.open("d" * 250, os.O_RDONLY, dir_fd=fd)
os.write(os.open("big", os.O_WRONLY | os.O_CREAT, dir_fd=fd), b"x" * 100000)`,
      ],
    ]
  ) {
    await t.step(name, async () => {
      await using dir = await tempDir();
      const out = await new Deno.Command("python3", { args: ["-c", code], cwd: dir.path }).output();
      assert.ok(out.success);
      const usage = await measureDir(dir.path, 1000);
      assert.ok(usage.unmeasurable >= 1, JSON.stringify(usage));
      const why = await watchDisk(dir.path, { quotaBytes: 1e9, signal: new AbortController().signal });
      assert.match(why ?? "", /cannot be measured .*: a breach of the disk quota$/);
    });
  }
});
