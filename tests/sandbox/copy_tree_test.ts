import assert from "node:assert/strict";
import { join } from "node:path";
import { copyOne, copyTree } from "../../lib/sandbox/copy_tree.ts";
import { tempDir } from "./_temp_dir.ts";

async function python(code: string, cwd: string): Promise<void> {
  const out = await new Deno.Command("python3", { args: ["-c", code], cwd, stderr: "piped" }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
}

Deno.test("copyTree() copies files, dirs and links, following no link", async (t) => {
  await using from = await tempDir();
  await using to = await tempDir();
  await using outside = await tempDir();
  await Deno.writeTextFile(join(outside.path, "secret"), "host secret");
  await Deno.mkdir(join(from.path, "sub"));
  await Deno.writeTextFile(join(from.path, "sub", "data.txt"), "data", { mode: 0o640 });
  await Deno.chmod(join(from.path, "sub", "data.txt"), 0o4750);
  await Deno.symlink(join(outside.path, "secret"), join(from.path, "to-secret"));
  await Deno.symlink(outside.path, join(from.path, "to-outside"));
  const report = await copyTree(from.path, to.path);
  await t.step("regular files and dirs, without set-uid bits", async () => {
    assert.equal(await Deno.readTextFile(join(to.path, "sub", "data.txt")), "data");
    assert.equal((await Deno.stat(join(to.path, "sub", "data.txt"))).mode! & 0o7777, 0o750);
  });
  await t.step("links recreated as links, their targets never read", async () => {
    assert.equal(await Deno.readLink(join(to.path, "to-secret")), join(outside.path, "secret"));
    assert.equal((await Deno.lstat(join(to.path, "to-outside"))).isSymlink, true);
    assert.deepEqual(report, { entries: 4, bytes: report.bytes, unreachable: 0, special: 0, changed: 0 });
  });
});

Deno.test("copyTree() counts what it cannot reach by name or keep, and leaves it out", async () => {
  await using from = await tempDir();
  await using to = await tempDir();
  await python(
    `import os
os.mkfifo("fifo")
open(b"\\xff\\xfe-not-utf8", "w").write("x")
fd = os.open(".", os.O_RDONLY)
for level in range(20):
    os.mkdir("d" * 250, dir_fd=fd)
    fd = os.open("d" * 250, os.O_RDONLY, dir_fd=fd)
os.close(os.open("deep", os.O_WRONLY | os.O_CREAT, dir_fd=fd))`,
    from.path,
  );
  const report = await copyTree(from.path, to.path);
  assert.equal(report.special, 1, "the fifo");
  assert.ok(
    report.unreachable >= 2,
    `the non-UTF-8 name and the path past PATH_MAX: ${JSON.stringify(report)}`,
  );
  const copied = await Array.fromAsync(Deno.readDir(to.path));
  assert.deepEqual(copied.map((e) => e.name), ["d".repeat(250)], "only what it could reach");
});

Deno.test("copyOne() copies one named entry, its parents made, never through a link", async () => {
  await using from = await tempDir();
  await using to = await tempDir();
  await using outside = await tempDir();
  await Deno.mkdir(join(from.path, "out"));
  await Deno.writeTextFile(join(from.path, "out", "report.csv"), "a,b\n");
  await Deno.writeTextFile(join(outside.path, "x.csv"), "secret");
  await Deno.symlink(outside.path, join(from.path, "linked"));
  assert.equal((await copyOne(from.path, to.path, "out/report.csv")).copied, true);
  assert.equal(await Deno.readTextFile(join(to.path, "out", "report.csv")), "a,b\n");
  assert.equal((await copyOne(from.path, to.path, "linked/x.csv")).copied, false, "a link on the way");
  await assert.rejects(Deno.stat(join(to.path, "linked")), Deno.errors.NotFound);
});
