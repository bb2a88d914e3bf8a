/**
 * Hostile programs against the machine's resources: memory, disk, the output pipe and the CPU. Each is
 * stopped by a limit, the result says which, and the next run works.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { detectCgroups } from "../../lib/sandbox/cgroup.ts";
import { measureDir } from "../../lib/sandbox/disk_watch.ts";
import { assertNoSurvivor, expectKind, output, PY_MARK, runHostile, sandboxNotes } from "./_hostile.ts";
import { requires } from "../_tier.ts";

const PYTHON_SANDBOX = requires("python3", "sandbox");

const MIB = 1024 * 1024;

Deno.test("execute() bounds a program's memory", PYTHON_SANDBOX, async (t) => {
  await t.step("python: a memory bomb meets RLIMIT_AS", async () => {
    const code = `${PY_MARK}blocks = []
try:
    while True: blocks.append(bytearray(16 * 1024 * 1024))
except MemoryError:
    print("MemoryError after", len(blocks) * 16, "MiB")
    raise`;
    await using run = await runHostile("python", code, { memoryMb: 256 });
    const result = expectKind(run.result, "exited");
    assert.equal(result.code, 1);
    const mib = Number(/MemoryError after (\d+) MiB/.exec(result.stdout.text)?.[1]);
    assert.ok(mib > 0 && mib <= 256, output(result));
    assert.match(result.stderr.text, /MemoryError/);
    await assertNoSurvivor(await run.read("marker.json"));
  });
  await t.step("typescript: ArrayBuffers outside the V8 heap meet the run's memory bound", async () => {
    const code = `const keep: Uint8Array[] = [];
try { while (true) { keep.push(new Uint8Array(16 * 1024 * 1024).fill(1)); console.log("held", keep.length * 16); } }
catch (e) { console.log("stopped after", keep.length * 16, "MiB:", (e as Error).message); Deno.exit(3); }`;
    await using run = await runHostile("typescript", code, { memoryMb: 256 });
    const result = expectKind(run.result, "exited");
    assert.notEqual(result.code, 0, output(result));
    const held = Math.max(0, ...[...result.stdout.text.matchAll(/^held (\d+)$/gm)].map((m) => Number(m[1])));
    if ((await detectCgroups()).kind === "none") {
      assert.ok(held <= 256 + 2048, `RLIMIT_DATA only: ${held} MiB`);
    } else {
      assert.ok(held <= 256, `the control group: ${held} MiB held`);
      assert.ok(sandboxNotes(result).some((n) => /memory limit of 256 MiB/.test(n)), JSON.stringify(result));
      assert.ok((result.peakMemoryBytes ?? 0) <= 256 * MIB, `peak ${result.peakMemoryBytes}`);
    }
  });
  await t.step("typescript: four Workers still fit under the default bounds (not a bomb)", async () => {
    const code = `const answers = [];
for (let i = 0; i < 4; i++) {
  const w = new Worker(new URL("data:text/javascript,postMessage(6*7)"), { type: "module" });
  answers.push(new Promise((r) => w.onmessage = (e) => { r(e.data); w.terminate(); }));
}
console.log(JSON.stringify(await Promise.all(answers)));`;
    await using run = await runHostile("typescript", code, { memoryMb: 1024 });
    const result = expectKind(run.result, "exited");
    assert.equal(result.stdout.text, "[42,42,42,42]\n", output(result));
  });
  await t.step("typescript: strings on the V8 heap meet the heap bound", async () => {
    const code = "const keep: string[] = [];\nwhile (true) keep.push('x'.repeat(1 << 16) + keep.length);";
    await using run = await runHostile("typescript", code, { heapMb: 64 });
    const result = expectKind(run.result, "exited");
    assert.notEqual(result.code, 0);
    assert.match(result.stderr.text, /heap/i);
  });
});

Deno.test("execute() bounds what a program writes to disk", PYTHON_SANDBOX, async (t) => {
  await t.step("python: many files meet the work dir quota", async () => {
    const code = `${PY_MARK}import os
chunk = os.urandom(1024 * 1024)
for i in range(100000):
    with open(f"fill-{i}.bin", "wb") as f: f.write(chunk)`;
    await using run = await runHostile("python", code, { diskQuotaMb: 32 });
    const result = expectKind(run.result, "exited");
    assert.notEqual(result.code, 0, output(result));
    assert.ok(
      sandboxNotes(result).some((n) => /disk quota of 32 MiB/.test(n)),
      JSON.stringify(sandboxNotes(result)),
    );
    const usage = await measureDir(run.dir, 100_000);
    assert.ok(usage.bytes < 32 * MIB + 512 * MIB, `bounded: ${usage.bytes} bytes`);
    await assertNoSurvivor(await run.read("marker.json"));
  });
  await t.step("python: one growing file meets RLIMIT_FSIZE", async () => {
    const code = `import os
with open("big.bin", "wb") as f:
    while True: f.write(b"x" * 1024 * 1024)`;
    await using run = await runHostile("python", code, { diskQuotaMb: 16 });
    const result = expectKind(run.result, "exited");
    assert.equal(result.code, 1);
    // As root the work dir is a 16 MiB tmpfs too, which the other files of the run fill first.
    assert.match(result.stderr.text, /File too large|No space left on device/);
    const size = (await Deno.stat(join(run.dir, "big.bin"))).size;
    assert.ok(size <= 16 * MIB && size >= 15 * MIB, `${size} bytes`);
  });
  await t.step("python: many empty files meet the entry cap", async () => {
    const code = "import os\nfor i in range(10**6): open(f'e{i}', 'w').close()";
    await using run = await runHostile("python", code, { maxEntries: 2000 });
    const result = expectKind(run.result, "exited");
    assert.ok(sandboxNotes(result).some((n) => /2000 entries/.test(n)), JSON.stringify(result));
    assert.ok((await measureDir(run.dir, 10 ** 6)).entries < 200_000);
  });
  await t.step("typescript: a disk fill meets the quota", async () => {
    const code = `const chunk = new Uint8Array(1024 * 1024).fill(7);
for (let i = 0; ; i++) await Deno.writeFile(\`fill-\${i}.bin\`, chunk);`;
    await using run = await runHostile("typescript", code, { diskQuotaMb: 32 });
    const result = expectKind(run.result, "exited");
    assert.ok(sandboxNotes(result).some((n) => /disk quota of 32 MiB/.test(n)), JSON.stringify(result));
  });
  await t.step("python: a huge sparse file is refused past RLIMIT_FSIZE", async () => {
    const code = "f = open('sparse.bin', 'wb')\nf.truncate(10 * 1024 ** 4)";
    await using run = await runHostile("python", code, { diskQuotaMb: 16 });
    assert.match(output(run.result), /File too large/);
  });
});

Deno.test("execute() keeps gigabytes on stdout from piling up", PYTHON_SANDBOX, async (t) => {
  await t.step("python: 1 GiB on stdout", async () => {
    const code = `import sys
block = b"y" * (1024 * 1024)
for _ in range(1024): sys.stdout.buffer.write(block)`;
    await using run = await runHostile("python", code, { timeoutMs: 60_000 });
    const result = expectKind(run.result, "exited");
    assert.equal(result.code, 0);
    assert.equal(result.stdout.bytes, 1024 * MIB);
    assert.equal(result.stdout.truncated, true);
    assert.ok(result.stdout.text.length < 70_000);
  });
  await t.step("typescript: stdout without end until the timeout", async () => {
    const code = `const block = new Uint8Array(1024 * 1024).fill(121);
while (true) await Deno.stdout.write(block);`;
    await using run = await runHostile("typescript", code, { timeoutMs: 2000 });
    const result = expectKind(run.result, "timed_out");
    assert.ok(result.stdout.bytes > 16 * MIB, `${result.stdout.bytes} bytes`);
    assert.ok(result.stdout.text.length < 70_000);
  });
});

Deno.test("execute() stops an infinite loop at the timeout", PYTHON_SANDBOX, async (t) => {
  for (
    const [language, code] of [["python", `${PY_MARK}while True: pass`], [
      "typescript",
      "while (true) {}",
    ]] as const
  ) {
    await t.step(language, async () => {
      const started = performance.now();
      await using run = await runHostile(language, code, { timeoutMs: 1500 });
      const result = expectKind(run.result, "timed_out");
      assert.ok(result.afterMs >= 1500 && performance.now() - started < 15_000);
      if (language === "python") await assertNoSurvivor(await run.read("marker.json"));
    });
  }
});
