/** stopServer() against the REAL llama-server started by startServer(), as `factory server stop` would. */
import assert from "node:assert/strict";
import { startServer } from "../../lib/server/lifecycle.ts";
import { pidAlive } from "../../lib/host/process.ts";
import { terminateGroup } from "../../lib/server/process_group.ts";
import { stateFilePath, writeState } from "../../lib/server/state_file.ts";
import { stopServer } from "../../lib/server/stop_server.ts";
import { engineFor, freePort, otherProgram } from "./_helpers.ts";
import { assertNoState, llamaSpec, recordedState, serverScene } from "./_lifecycle.ts";
import { tempDir } from "../_helpers.ts";
import { requires } from "../_tier.ts";

const ENGINE = requires("llama-server", "tiny model");
const engine = await engineFor(ENGINE);

Deno.test("stopServer() stops the recorded server with SIGTERM and removes its state", ENGINE, async () => {
  await using scene = await serverScene();
  const { stateDir, port } = scene;
  assert.deepEqual(await stopServer({ stateDir }), { kind: "not_running" });
  const server = scene.track(await startServer(llamaSpec(engine, port), { stateDir }));
  const pid = server.pid;
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
  await assertNoState(stateDir, port);
  assert.deepEqual(await stopServer({ stateDir, port }), { kind: "not_running", port });
  await server.stop();
});

Deno.test("stopServer() never signals a pid that now belongs to another program", async () => {
  await using dir = await tempDir();
  const stateDir = dir.path;
  const port = freePort();
  const other = await otherProgram(`${stateDir}/other.log`);
  try {
    await writeState(
      stateFilePath(stateDir, port),
      recordedState(engine, { port, pid: other.pid, stateDir }, {
        pgid: other.pgid,
        argv: [engine.binary, "-m", engine.model, "--port", String(port)],
        startedAt: new Date().toISOString(),
      }),
    );
    const outcome = await stopServer({ stateDir, port });
    assert.equal(outcome.kind, "not_running");
    assert.match(outcome.kind === "not_running" ? outcome.cleaned ?? "" : "", /is now another program/);
    assert.equal(pidAlive(other.pid), true);
  } finally {
    await terminateGroup(other, { exited: other.exited });
  }
});
