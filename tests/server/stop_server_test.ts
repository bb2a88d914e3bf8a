/** stopServer() against the REAL llama-server started by startServer(), as `factory server stop` would. */
import assert from "node:assert/strict";
import { startServer } from "../../lib/server/lifecycle.ts";
import { pidAlive } from "../../lib/host/process.ts";
import { terminateGroup } from "../../lib/server/process_group.ts";
import { readState, stateFilePath, writeState } from "../../lib/server/state_file.ts";
import { stopServer } from "../../lib/server/stop_server.ts";
import { assertNoServerLeft, engineFor, freePort, otherProgram } from "./_helpers.ts";
import { requires } from "../_tier.ts";

const ENGINE = requires("llama-server", "tiny model");
const { binary, model } = await engineFor(ENGINE);

Deno.test("stopServer() stops the recorded server with SIGTERM and removes its state", ENGINE, async () => {
  const stateDir = await Deno.makeTempDir();
  const port = freePort();
  let pid: number | undefined;
  try {
    assert.deepEqual(await stopServer({ stateDir }), { kind: "not_running" });
    const server = await startServer({ engine: "llama.cpp", model, binary, host: "127.0.0.1", port }, {
      stateDir,
    });
    pid = server.pid;
    const outcome = await stopServer({ stateDir });
    assert.equal(outcome.kind, "stopped");
    if (outcome.kind !== "stopped") return;
    assert.deepEqual({ ...outcome, ms: 0 }, {
      kind: "stopped",
      engine: "llama.cpp",
      pid,
      port,
      signal: "SIGTERM",
      ms: 0,
    });
    assert.equal(pidAlive(pid!), false);
    assert.deepEqual(await readState(stateFilePath(stateDir, port)), { kind: "absent" });
    assert.deepEqual(await stopServer({ stateDir, port }), { kind: "not_running", port });
    await server.stop();
  } finally {
    assertNoServerLeft(port, pid);
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("stopServer() never signals a pid that now belongs to another program", async () => {
  const stateDir = await Deno.makeTempDir();
  const port = freePort();
  const other = await otherProgram(`${stateDir}/other.log`);
  try {
    await writeState(stateFilePath(stateDir, port), {
      version: 1,
      engine: "llama.cpp",
      model,
      host: "127.0.0.1",
      port,
      baseUrl: `http://127.0.0.1:${port}/v1`,
      pid: other.pid,
      pgid: other.pgid,
      argv: [binary, "-m", model, "--port", String(port)],
      startedAt: new Date().toISOString(),
      logPath: `${stateDir}/llama.cpp-${port}.log`,
    });
    const outcome = await stopServer({ stateDir, port });
    assert.equal(outcome.kind, "not_running");
    assert.match(outcome.kind === "not_running" ? outcome.cleaned ?? "" : "", /is now another program/);
    assert.equal(pidAlive(other.pid), true);
  } finally {
    await terminateGroup(other, { exited: other.exited });
    await Deno.remove(stateDir, { recursive: true });
  }
});
