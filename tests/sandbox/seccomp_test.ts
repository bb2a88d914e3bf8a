import assert from "node:assert/strict";
import { keyringFilter, keyringFilterFile, type SeccompArch } from "../../lib/sandbox/seccomp.ts";

/** Runs a classic BPF program of the opcodes the filter uses on one `seccomp_data` (nr, arch). */
function run(filter: Uint8Array, nr: number, arch: number): number {
  const view = new DataView(filter.buffer, filter.byteOffset, filter.byteLength);
  const data = [nr, arch];
  let acc = 0;
  for (let pc = 0; pc * 8 < filter.length;) {
    const [code, jt, jf, k] = [
      view.getUint16(pc * 8, true),
      view.getUint8(pc * 8 + 2),
      view.getUint8(pc * 8 + 3),
      view.getUint32(pc * 8 + 4, true),
    ];
    if (code === 0x20) acc = data[k / 4] >>> 0;
    else if (code === 0x06) return k;
    else if (code === 0x15) pc += acc === k ? jt : jf;
    else if (code === 0x45) pc += (acc & k) !== 0 ? jt : jf;
    else throw new Error(`unexpected opcode ${code}`);
    pc++;
  }
  throw new Error("fell off the end");
}

const ALLOW = 0x7fff0000;
const EPERM = 0x00050001;
const CASES: Record<SeccompArch, { audit: number; keyring: number[]; other: number[]; x32?: number }> = {
  x86_64: {
    audit: 0xc000003e,
    keyring: [248, 249, 250],
    other: [0, 1, 57, 59, 231, 435],
    x32: 0x40000000 | 250,
  },
  aarch64: { audit: 0xc00000b7, keyring: [217, 218, 219], other: [63, 64, 93, 220, 221, 435] },
};

Deno.test("keyringFilter() denies the keyring calls and foreign ABIs, allows the rest", async (t) => {
  for (const [arch, c] of Object.entries(CASES) as [SeccompArch, typeof CASES.x86_64][]) {
    await t.step(arch, () => {
      const filter = keyringFilter(arch);
      assert.equal(filter.length % 8, 0);
      for (const nr of c.keyring) assert.equal(run(filter, nr, c.audit), EPERM, `syscall ${nr}`);
      for (const nr of c.other) assert.equal(run(filter, nr, c.audit), ALLOW, `syscall ${nr}`);
      assert.equal(run(filter, 250, 0x40000003), EPERM, "i386 (int 0x80) is another ABI");
      if (c.x32 !== undefined) assert.equal(run(filter, c.x32, c.audit), EPERM, "x32 keyctl");
    });
  }
});

Deno.test("keyringFilterFile() writes the filter once, readable by us only", async () => {
  const [first, second] = await Promise.all([keyringFilterFile(), keyringFilterFile()]);
  assert.equal(first, second);
  if (first === undefined) return assert.ok(!["x86_64", "aarch64"].includes(Deno.build.arch));
  const info = await Deno.stat(first);
  assert.equal((info.mode ?? 0) & 0o777, 0o600);
  assert.deepEqual(await Deno.readFile(first), keyringFilter(Deno.build.arch as SeccompArch));
});
