/**
 * The seccomp filter bubblewrap installs for every program (`--seccomp FD`): the kernel keyring calls
 * fail with EPERM, so a program can neither read the keys of the session it was started from nor leave
 * keys behind in it; so does every system call of another ABI (32-bit `int 0x80`, x32), which would
 * otherwise reach the same calls under other numbers.
 *
 * @module
 */

import { writeOnce } from "./_private_files.ts";

/** The system call numbers the filter denies, and the audit architecture it expects, per CPU. */
const ARCHES = {
  x86_64: { audit: 0xc000003e, addKey: 248, requestKey: 249, keyctl: 250, x32Bit: 0x40000000 },
  aarch64: { audit: 0xc00000b7, addKey: 217, requestKey: 218, keyctl: 219, x32Bit: undefined },
} as const;

/** The CPU architectures the filter knows. */
export type SeccompArch = keyof typeof ARCHES;

const EPERM = 1;
const RET_ALLOW = 0x7fff0000;
const RET_ERRNO = 0x00050000;
// Classic BPF opcodes.
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JSET_K = 0x45;
const RET_K = 0x06;
// Offsets in struct seccomp_data.
const NR = 0;
const ARCH = 4;

/**
 * The filter for `arch` as the `struct sock_filter` array bubblewrap reads (8 bytes per instruction,
 * little-endian): another ABI → EPERM; `add_key`, `request_key`, `keyctl` → EPERM; the rest allowed. Pure.
 */
export function keyringFilter(arch: SeccompArch): Uint8Array {
  const a = ARCHES[arch];
  const program: [number, number, number, number][] = [];
  const deny = () => [RET_K, 0, 0, RET_ERRNO | EPERM] as [number, number, number, number];
  program.push([LD_W_ABS, 0, 0, ARCH]);
  program.push([JEQ_K, 1, 0, a.audit]);
  program.push(deny());
  program.push([LD_W_ABS, 0, 0, NR]);
  if (a.x32Bit !== undefined) {
    program.push([JSET_K, 0, 1, a.x32Bit]);
    program.push(deny());
  }
  for (const nr of [a.addKey, a.requestKey, a.keyctl]) {
    program.push([JEQ_K, 0, 1, nr]);
    program.push(deny());
  }
  program.push([RET_K, 0, 0, RET_ALLOW]);
  const bytes = new Uint8Array(program.length * 8);
  const view = new DataView(bytes.buffer);
  program.forEach(([code, jt, jf, k], i) => {
    view.setUint16(i * 8, code, true);
    view.setUint8(i * 8 + 2, jt);
    view.setUint8(i * 8 + 3, jf);
    view.setUint32(i * 8 + 4, k, true);
  });
  return bytes;
}

/**
 * The path of the filter for this machine's CPU, written once per process into a private dir (mode 0700)
 * that no program can reach; undefined on a CPU the filter does not know.
 */
export function keyringFilterFile(): Promise<string | undefined> {
  const arch = Deno.build.arch as string;
  return writeOnce("keyring.bpf", () => arch in ARCHES ? keyringFilter(arch as SeccompArch) : undefined);
}
