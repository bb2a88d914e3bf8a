/** serverStatus() against the REAL llama-server, and against stale state files. */
import assert from "node:assert/strict";
import { ensureServer } from "../../lib/server/lifecycle.ts";
import { pidAlive } from "../../lib/host/process.ts";
import { terminateGroup } from "../../lib/server/process_group.ts";
import { serverStatus } from "../../lib/server/server_status.ts";
import { readState, type ServerState, stateFilePath, writeState } from "../../lib/server/state_file.ts";
import { assertNoServerLeft, deadPid, engineFor, freePort, otherProgram } from "./_helpers.ts";
import { requires } from "../_tier.ts";

const ENGINE = requires("llama-server", "tiny model");
const { binary, model } = await engineFor(ENGINE);

/** A state file as lifecycle writes it, for a server that is not really there. */
function recorded(port: number, pid: number, stateDir: string): ServerState {
  return {
    version: 1,
    engine: "llama.cpp",
    model,
    host: "127.0.0.1",
    port,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    pid,
    pgid: pid,
    argv: [binary, "-m", model, "--host", "127.0.0.1", "--port", String(port)],
    startedAt: new Date(Date.now() - 60_000).toISOString(),
    logPath: `${stateDir}/llama.cpp-${port}.log`,
  };
}

Deno.test(
  "serverStatus() shows engine, model, pid, port, uptime, health and slots of our server",
  ENGINE,
  async () => {
    const stateDir = await Deno.makeTempDir();
    const port = freePort();
    let pid: number | undefined;
    try {
      assert.deepEqual(await serverStatus({ stateDir }), { kind: "not_running" });
      await using server = await ensureServer(
        { engine: "llama.cpp", model, binary, host: "127.0.0.1", port },
        {
          stateDir,
        },
      );
      pid = server.pid;
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
    } finally {
      assertNoServerLeft(port, pid);
      await Deno.remove(stateDir, { recursive: true });
    }
  },
);

Deno.test("serverStatus() cleans a stale state file whose process is gone", async () => {
  const stateDir = await Deno.makeTempDir();
  const port = freePort();
  try {
    const pid = await deadPid();
    await writeState(stateFilePath(stateDir, port), recorded(port, pid, stateDir));
    assert.deepEqual(await serverStatus({ stateDir }), {
      kind: "not_running",
      port,
      cleaned: `pid ${pid} is gone`,
    });
    assert.deepEqual(await readState(stateFilePath(stateDir, port)), { kind: "absent" });
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("serverStatus() cleans a state file whose pid now belongs to another program, without signalling it", async () => {
  const stateDir = await Deno.makeTempDir();
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
    assert.deepEqual(await readState(stateFilePath(stateDir, port)), { kind: "absent" });
  } finally {
    await terminateGroup(other, { exited: other.exited });
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("serverStatus() cleans an unreadable state file", async () => {
  const stateDir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(stateFilePath(stateDir, 8080), "{ half a file");
    const status = await serverStatus({ stateDir });
    assert.match(status.kind === "not_running" ? status.cleaned ?? "" : "", /^unreadable state file/);
    assert.deepEqual(await readState(stateFilePath(stateDir, 8080)), { kind: "absent" });
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("ensureServer() starts afresh over a stale state file (dead pid)", ENGINE, async () => {
  const stateDir = await Deno.makeTempDir();
  const port = freePort();
  let pid: number | undefined;
  try {
    await writeState(stateFilePath(stateDir, port), recorded(port, await deadPid(), stateDir));
    await using server = await ensureServer({ engine: "llama.cpp", model, binary, host: "127.0.0.1", port }, {
      stateDir,
    });
    pid = server.pid;
    assert.equal(server.startedByUs, true);
    const state = await readState(stateFilePath(stateDir, port));
    assert.equal(state.kind === "valid" && state.state.pid, pid);
  } finally {
    assertNoServerLeft(port, pid);
    await Deno.remove(stateDir, { recursive: true });
  }
});
