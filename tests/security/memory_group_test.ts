/**
 * Class 7 of issue 11: memory limited per process only. RLIMIT_AS is per process and does not count
 * memfd pages written with `write()`, so several processes could hold many times the bound together.
 * The bound must hold for the whole run.
 */
import assert from "node:assert/strict";
import { assertNoSurvivor, output, PY_MARK, runHostile } from "./_hostile.ts";

const MEMORY_MB = 256;

/**
 * Python: 6 children each fill memfds with 96 MiB (576 MiB together) and say so in `held-<i>`, then hold
 * it; the parent waits until every child has said so or died, and prints what the live ones hold.
 */
const MEMFD_BOMB = `${PY_MARK}import os, time
block = b"m" * (1024 * 1024)
children = []
for i in range(6):
    pid = os.fork()
    if pid == 0:
        fds = [os.memfd_create(f"hold{i}-{j}") for j in range(6)]  # 16 MiB each: under RLIMIT_FSIZE
        for fd in fds:
            for _ in range(16): os.write(fd, block)
        open(f"held-{i}", "w").write("96")
        time.sleep(300)
    children.append(pid)
deadline = time.time() + 10
def alive(pid):
    return os.waitpid(pid, os.WNOHANG) == (0, 0)
waiting = set(children)
while waiting and time.time() < deadline:
    waiting = {p for p in waiting if alive(p) and not os.path.exists(f"held-{children.index(p)}")}
    time.sleep(0.05)
live = [i for i, p in enumerate(children) if alive(p) and os.path.exists(f"held-{i}")]
print("HELD", 96 * len(live))`;

Deno.test("execute() bounds the memory of the whole run, memfd included", async () => {
  await using run = await runHostile("python", MEMFD_BOMB, { memoryMb: MEMORY_MB, timeoutMs: 30_000 });
  const held = Number(/^HELD (\d+)$/m.exec(output(run.result))?.[1] ?? "0");
  assert.ok(held <= MEMORY_MB, `the run held ${held} MiB against a bound of ${MEMORY_MB} MiB`);
  const peak = (run.result as { peakMemoryBytes?: number }).peakMemoryBytes;
  if (peak !== undefined) assert.ok(peak <= MEMORY_MB * 1024 * 1024, `peak ${peak} bytes`);
  await assertNoSurvivor(await run.read("marker.json"));
});
