import assert from "node:assert/strict";
import { logTail, serverLogs } from "../../lib/server/server_logs.ts";
import { stateFilePath, writeState } from "../../lib/server/state_file.ts";

Deno.test("logTail() returns the last lines, or nothing for a missing file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i}`);
    await Deno.writeTextFile(`${dir}/a.log`, lines.join("\n") + "\n\n");
    assert.equal(await logTail(`${dir}/a.log`, 3), "line 97\nline 98\nline 99");
    assert.equal(await logTail(`${dir}/missing.log`), "");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serverLogs() finds the log through the state file, else the newest log of the port", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    await t.step("no server and no log", async () => {
      assert.equal(await serverLogs({ stateDir: dir }), "");
    });
    await t.step("a log left by a server that has stopped", async () => {
      await Deno.writeTextFile(`${dir}/llama.cpp-8080.log`, "old\nsrv  llama_server: model loaded\n");
      assert.equal(
        await serverLogs({ stateDir: dir, port: 8080, lines: 1 }),
        "srv  llama_server: model loaded",
      );
    });
    await t.step("the recorded server's log", async () => {
      await Deno.writeTextFile(`${dir}/custom.log`, "a\nb\nc\n");
      await writeState(stateFilePath(dir, 9000), {
        version: 1,
        engine: "mlx",
        model: "m",
        host: "127.0.0.1",
        port: 9000,
        baseUrl: "http://127.0.0.1:9000/v1",
        pid: 1,
        pgid: 1,
        argv: ["python3"],
        startedAt: new Date().toISOString(),
        logPath: `${dir}/custom.log`,
      });
      assert.equal(await serverLogs({ stateDir: dir, lines: 2 }), "b\nc");
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("logTail() shows only the latest state of a progress bar redrawn with carriage returns", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/a.log`, "downloading\n 10%\r 55%\r 90%");
    assert.equal(await logTail(`${dir}/a.log`, 1), " 90%");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
