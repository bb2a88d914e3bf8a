import assert from "node:assert/strict";
import {
  readState,
  recordedPorts,
  removeState,
  type ServerState,
  stateFilePath,
  writeState,
} from "../../lib/server/state_file.ts";

const STATE: ServerState = {
  version: 1,
  engine: "llama.cpp",
  model: "/models/tiny.gguf",
  host: "127.0.0.1",
  port: 8080,
  baseUrl: "http://127.0.0.1:8080/v1",
  pid: 4242,
  pgid: 4242,
  argv: ["llama-server", "-m", "/models/tiny.gguf"],
  startedAt: "2026-11-25T10:00:00.000Z",
  logPath: "/state/llama.cpp-8080.log",
};

Deno.test("writeState() and readState() round-trip and validate", async (t) => {
  const dir = await Deno.makeTempDir();
  const path = stateFilePath(dir, 8080);
  try {
    await t.step("absent", async () => {
      assert.deepEqual(await readState(path), { kind: "absent" });
    });
    await t.step("round trip, no temp file left", async () => {
      await writeState(path, STATE);
      assert.deepEqual(await readState(path), { kind: "valid", state: STATE });
      assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["server-8080.json"]);
    });
    await t.step("not JSON is invalid", async () => {
      await Deno.writeTextFile(path, "{");
      assert.equal((await readState(path)).kind, "invalid");
    });
    await t.step("a wrong shape is invalid", async () => {
      await Deno.writeTextFile(path, JSON.stringify({ ...STATE, pid: -1 }));
      assert.equal((await readState(path)).kind, "invalid");
      await Deno.writeTextFile(path, JSON.stringify({ ...STATE, engine: "vllm" }));
      assert.equal((await readState(path)).kind, "invalid");
    });
    await t.step("removeState() tolerates a missing file", async () => {
      await removeState(path);
      await removeState(path);
      assert.deepEqual(await readState(path), { kind: "absent" });
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("recordedPorts() lists state files newest first and ignores other files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.deepEqual(await recordedPorts(`${dir}/missing`), []);
    await writeState(stateFilePath(dir, 9001), { ...STATE, port: 9001 });
    await Deno.utime(stateFilePath(dir, 9001), new Date(2020, 1, 1), new Date(2020, 1, 1));
    await writeState(stateFilePath(dir, 9002), { ...STATE, port: 9002 });
    await Deno.writeTextFile(`${dir}/llama.cpp-9001.log`, "log");
    assert.deepEqual(await recordedPorts(dir), [9002, 9001]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
