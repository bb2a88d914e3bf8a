/**
 * Class 6 of issue 11: disk limits evaded. Entries whose path is longer than PATH_MAX, or whose name is
 * not UTF-8, escape a walk that measures by path. The work dir's bounds must hold for them too, nothing
 * the sandbox user owns may stay behind, and a breach must be said, never skipped silently.
 */
import assert from "node:assert/strict";
import { SANDBOX_UID_BASE } from "../../lib/sandbox/sandbox_user.ts";
import { output, runHostile, sandboxNotes } from "./_hostile.ts";

const MIB = 1024 * 1024;
const QUOTA_MB = 32;
const MAX_ENTRIES = 2000;

/** What a tree holds, measured by `du` and `find` (both walk by directory descriptor, any name, any depth). */
async function leftovers(dir: string): Promise<{ bytes: number; entries: number; sandboxOwned: number }> {
  const run = async (command: string, args: string[]) =>
    new TextDecoder().decode((await new Deno.Command(command, { args, stdout: "piped" }).output()).stdout);
  const bytes = Number((await run("du", ["-s", "-B1", dir])).split("\t")[0]);
  const owners = (await run("find", [dir, "-mindepth", "1", "-printf", "%U\\n"])).trim().split("\n")
    .filter((l) => l !== "").map(Number);
  return { bytes, entries: owners.length, sandboxOwned: owners.filter((u) => u >= SANDBOX_UID_BASE).length };
}

/** Python that hides 48 MiB and 3000 entries where a path-based walk cannot see them. */
const HIDER = `import os
block = os.urandom(MIB := 1024 * 1024)
def fill(dir_fd, files, mib_each, count):
    for i in range(files):
        fd = os.open(f"data{i}", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=dir_fd)
        try:
            for _ in range(mib_each): os.write(fd, block)
        except OSError as e: print("stopped writing:", e); return
        finally: os.close(fd)
    for i in range(count):
        try: os.close(os.open(f"e{i}", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=dir_fd))
        except OSError as e: print("stopped creating:", e); return
# 1. deeper than PATH_MAX: 20 levels of 250-character names
fd = os.open(".", os.O_RDONLY | os.O_DIRECTORY)
for level in range(20):
    name = chr(ord("a") + level) * 250
    os.mkdir(name, dir_fd=fd)
    fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
fill(fd, 2, 12, 1500)
# 2. a name that is not UTF-8
os.mkdir(b"\\xff\\xfe-not-utf8")
fill(os.open(b"\\xff\\xfe-not-utf8", os.O_RDONLY | os.O_DIRECTORY), 2, 12, 1500)
print("hidden")`;

Deno.test("execute() bounds entries a path walk cannot measure (PATH_MAX, not UTF-8)", async () => {
  await using run = await runHostile("python", HIDER, { diskQuotaMb: QUOTA_MB, maxEntries: MAX_ENTRIES });
  const left = await leftovers(run.dir);
  assert.equal(left.sandboxOwned, 0, `${left.sandboxOwned} entries are still the sandbox user's`);
  assert.ok(left.bytes <= QUOTA_MB * MIB + MIB, `${left.bytes} bytes left against a ${QUOTA_MB} MiB quota`);
  assert.ok(left.entries <= MAX_ENTRIES + 10, `${left.entries} entries left against a cap of ${MAX_ENTRIES}`);
  const notes = sandboxNotes(run.result);
  assert.ok(
    notes.some((n) => /work dir/.test(n)),
    `the breach is noted: ${JSON.stringify(notes)}\n${output(run.result).slice(-500)}`,
  );
});

Deno.test("execute() without a tmpfs work dir stops a run hiding entries from the measuring walk", async () => {
  // sandbox: off has no tmpfs work dir: the work dir is measured while the program runs.
  const slow = HIDER.replace('print("hidden")', 'import time\nprint("hidden")\ntime.sleep(30)');
  await using run = await runHostile("python", slow, {
    sandbox: "off",
    diskQuotaMb: QUOTA_MB,
    maxEntries: MAX_ENTRIES,
  });
  const notes = sandboxNotes(run.result);
  assert.equal(run.result.kind, "exited", output(run.result));
  assert.ok(
    notes.some((n) => /cannot be measured/.test(n)),
    `${JSON.stringify(notes)}\n${output(run.result)}`,
  );
});
