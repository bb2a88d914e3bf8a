/** serverStatus() against the REAL llama-server, and against stale state files. */
import assert from "node:assert/strict";
import { ensureServer } from "../../lib/server/lifecycle.ts";
import { pidAlive } from "../../lib/host/process.ts";
import { terminateGroup } from "../../lib/server/process_group.ts";
import { serverStatus } from "../../lib/server/server_status.ts";
import { readState, stateFilePath, writeState } from "../../lib/server/state_file.ts";
import { deadPid, engineFor, freePort, otherProgram } from "./_helpers.ts";
import { assertNoState, llamaSpec, recordedState, serverScene } from "./_lifecycle.ts";
import { tempDir } from "../_helpers.ts";
import { requires } from "../_tier.ts";

const ENGINE = requires("llama-server", "tiny model");
const engine = await engineFor(ENGINE);

/** A state file as lifecycle writes it, for a server that is not really there. */
function recorded(port: number, pid: number, stateDir: string) {
  return recordedState(engine, { port, pid, stateDir });
}

Deno.test(
  "serverStatus() shows engine, model, pid, port, uptime, health and slots of our server",
  ENGINE,
  async () => {
    await using scene = await serverScene();
    const { stateDir, port } = scene;
    assert.deepEqual(await serverStatus({ stateDir }), { kind: "not_running" });
    await using server = scene.track(await ensureServer(llamaSpec(engine, port), { stateDir }));
    const pid = server.pid;
    const later = new Date(Date.now() + 5_000);
    const status = await serverStatus({ stateDir, now: () => later });
    assert.equal(status.kind, "running");
    if (status.kind !== "running") return;
    assert.equal(status.engine, "llama.cpp");
    assert.equal(status.model, server.model);
    assert.equal(status.pid, pid);
    assert.equal(status.port, port);
    assert.equal(status.baseUrl, server.baseUrl);
    assert.ok(status.uptimeMs >= 5_000 && status.uptimeMs < 60_000, `uptime ${status.uptimeMs}`);
    assert.deepEqual(status.health, { kind: "ready" });
    assert.deepEqual(status.slots, [
      { id: 0, contextSize: 8192, busy: false, speculative: false },
      { id: 1, contextSize: 8192, busy: false, speculative: false },
    ]);
    assert.deepEqual(status.speculation, { kind: "off" }, "started without speculation");
    assert.equal(status.logPath, server.logPath);
    assert.deepEqual(await serverStatus({ stateDir, port, now: () => later }), status);
  },
);

Deno.test("serverStatus() cleans a stale state file whose process is gone", async () => {
  await using dir = await tempDir();
  const stateDir = dir.path;
  const port = freePort();
  const pid = await deadPid();
  await writeState(stateFilePath(stateDir, port), recorded(port, pid, stateDir));
  assert.deepEqual(await serverStatus({ stateDir }), {
    kind: "not_running",
    port,
    cleaned: `pid ${pid} is gone`,
  });
  await assertNoState(stateDir, port);
});

Deno.test("serverStatus() cleans a state file whose pid now belongs to another program, without signalling it", async () => {
  await using dir = await tempDir();
  const stateDir = dir.path;
  const port = freePort();
  const other = await otherProgram(`${stateDir}/other.log`);
  try {
    await writeState(stateFilePath(stateDir, port), recorded(port, other.pid, stateDir));
    const status = await serverStatus({ stateDir, port });
    assert.equal(status.kind, "not_running");
    assert.match(
      status.kind === "not_running" ? status.cleaned ?? "" : "",
      /is now another program \(sleep 300\)/,
    );
    assert.equal(pidAlive(other.pid), true);
    await assertNoState(stateDir, port);
  } finally {
    await terminateGroup(other, { exited: other.exited });
  }
});

Deno.test("serverStatus() cleans an unreadable state file", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(stateFilePath(dir.path, 8080), "{ half a file");
  const status = await serverStatus({ stateDir: dir.path });
  assert.match(status.kind === "not_running" ? status.cleaned ?? "" : "", /^unreadable state file/);
  await assertNoState(dir.path, 8080);
});

Deno.test("ensureServer() starts afresh over a stale state file (dead pid)", ENGINE, async () => {
  await using scene = await serverScene();
  const { stateDir, port } = scene;
  await writeState(stateFilePath(stateDir, port), recorded(port, await deadPid(), stateDir));
  await using server = scene.track(await ensureServer(llamaSpec(engine, port), { stateDir }));
  assert.equal(server.startedByUs, true);
  const state = await readState(stateFilePath(stateDir, port));
  assert.equal(state.kind === "valid" && state.state.pid, server.pid);
});
