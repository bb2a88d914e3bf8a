import assert from "node:assert/strict";
import { limitNote, prlimitArgs, rlimitsFor } from "../../lib/sandbox/rlimits.ts";

const MIB = 1024 * 1024;

Deno.test("rlimitsFor() bounds each language in the way it can bear", async (t) => {
  await t.step("python: address space, file size, processes, CPU time per CPU", () => {
    assert.deepEqual(rlimitsFor({ language: "python", timeoutMs: 2500, cpus: 2, maxProcesses: 64 }), {
      cpuSeconds: 11,
      addressSpaceBytes: 1024 * MIB,
      fileSizeBytes: 1024 * MIB,
      processes: 64,
      openFiles: 1024,
      coreBytes: 0,
    });
  });
  await t.step("typescript: data instead of address space (RLIMIT_AS stops Deno from starting)", () => {
    const limits = rlimitsFor({
      language: "typescript",
      timeoutMs: 1000,
      memoryMb: 100,
      diskQuotaMb: 5,
      cpus: 1,
    });
    assert.equal(limits.addressSpaceBytes, undefined);
    assert.equal(limits.dataBytes, (100 + 2048) * MIB);
    assert.equal(limits.fileSizeBytes, 5 * MIB);
    assert.equal(limits.processes, undefined, "left alone unless asked for");
  });
  await t.step("rejecting bounds that are not positive integers", () => {
    assert.throws(() => rlimitsFor({ language: "python", timeoutMs: 1, memoryMb: 0 }), RangeError);
    assert.throws(() => rlimitsFor({ language: "python", timeoutMs: 1, diskQuotaMb: 1.5 }), RangeError);
  });
});

Deno.test("prlimitArgs() writes each limit as a prlimit option, then --", () => {
  const limits = rlimitsFor({ language: "python", timeoutMs: 1000, cpus: 1, maxProcesses: 8 });
  assert.deepEqual(prlimitArgs(limits), [
    "--cpu=6:7",
    `--as=${1024 * MIB}`,
    `--fsize=${1024 * MIB}`,
    "--nproc=8",
    "--nofile=1024",
    "--core=0",
    "--",
  ]);
});

Deno.test("limitNote() explains the exit codes of rlimit signals", () => {
  const limits = rlimitsFor({ language: "python", timeoutMs: 1000, cpus: 1 });
  assert.deepEqual(limitNote(152, limits), {
    kind: "limit",
    text: "killed by SIGXCPU: the CPU time limit of 6 s was reached",
  });
  assert.deepEqual(limitNote(153, limits), {
    kind: "limit",
    text: "killed by SIGXFSZ: a file passed the size limit of 1024 MiB",
  });
  assert.equal(limitNote(1, limits), undefined);
});

Deno.test("prlimit applies the limits to a real program", async () => {
  const limits = rlimitsFor({ language: "python", timeoutMs: 1000, cpus: 1, diskQuotaMb: 3 });
  const out = await new Deno.Command("prlimit", {
    args: [...prlimitArgs(limits), "sh", "-c", "ulimit -f; ulimit -c; ulimit -t"],
  }).output();
  // sh counts the file size limit in 512-byte blocks.
  assert.equal(new TextDecoder().decode(out.stdout), `${3 * 2048}\n0\n6\n`);
});
