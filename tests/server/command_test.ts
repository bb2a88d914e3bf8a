import assert from "node:assert/strict";
import { runCommand, runLogged } from "../../lib/host/command.ts";
import { processesMatching } from "./_helpers.ts";

Deno.test("runCommand() captures output and reports a missing program as a value", async () => {
  const result = await runCommand("sh", ["-c", "echo out; echo err >&2; exit 3"]);
  assert.deepEqual(result, { kind: "exited", code: 3, stdout: "out\n", stderr: "err\n" });
  assert.deepEqual(await runCommand("factory-no-such-program", []), {
    kind: "not_found",
    command: "factory-no-such-program",
  });
});

Deno.test("runLogged() streams lines to the log and kills the whole group on abort", async (t) => {
  const dir = await Deno.makeTempDir();
  const log = await Deno.open(`${dir}/build.log`, { create: true, append: true });
  try {
    await t.step("lines reach onLine and the log", async () => {
      const lines: string[] = [];
      const code = await runLogged("sh", ["-c", "echo '[ 10%] a'; echo b >&2; printf 'c'"], {
        log,
        onLine: (line) => lines.push(line),
      });
      assert.equal(code, 0);
      assert.deepEqual(lines.sort(), ["[ 10%] a", "b", "c"]);
      assert.match(await Deno.readTextFile(`${dir}/build.log`), /\[ 10%\] a/);
    });
    await t.step("abort kills the program and its grandchildren", async () => {
      const marker = `factory-abort-${crypto.randomUUID().slice(0, 8)}`;
      const controller = new AbortController();
      const script = `(exec -a ${marker}-grandchild sleep 300) & exec -a ${marker} sleep 300`;
      const running = runLogged("bash", ["-c", script], { log, signal: controller.signal });
      while (processesMatching(marker).length < 2) await new Promise((r) => setTimeout(r, 20));
      controller.abort(new Error("stop"));
      await assert.rejects(running, /stop/);
      assert.deepEqual(processesMatching(marker), []);
    });
  } finally {
    log.close();
    await Deno.remove(dir, { recursive: true });
  }
});
