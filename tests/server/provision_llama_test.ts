import assert from "node:assert/strict";
import { ConfigError, ServerError } from "../../lib/errors.ts";
import type { CommandResult, RunCommand, RunLogged } from "../../lib/host/command.ts";
import { findLlamaServer, readBuildInfo } from "../../lib/server/llama_cache.ts";
import { withProvisionLock } from "../../lib/server/llama_source.ts";
import { llamaPaths } from "../../lib/server/paths.ts";
import {
  cmakeConfigureArgs,
  ensureLlamaServer,
  llamaInfo,
  provisionLlamaServer,
  type ProvisionProgress,
  serverVersion,
} from "../../lib/server/provision_llama.ts";
import { requires } from "../_tier.ts";

const ENGINE = requires("llama-server");

const ok = (stdout = "", stderr = ""): CommandResult => ({ kind: "exited", code: 0, stdout, stderr });

/** Plays npm, tar, git and llama-server --version, creating the files the real ones would. */
function fakeRun(calls: string[][]): RunCommand {
  return async (command, args, options) => {
    calls.push([command, ...args]);
    if (command === "npm") {
      await Deno.writeTextFile(`${options?.cwd}/node-llama-cpp-3.22.1.tgz`, "tarball");
      return ok("node-llama-cpp-3.22.1.tgz\n");
    }
    if (command === "tar") {
      const dir = `${args[args.indexOf("-C") + 1]}/package/llama`;
      await Deno.mkdir(dir, { recursive: true });
      await Deno.writeTextFile(`${dir}/gitRelease.bundle`, "bundle");
      await Deno.writeTextFile(`${dir}/llama.cpp.info.json`, '{"tag": "v0.5.0"}');
      return ok();
    }
    if (command === "git" && args[0] === "clone") {
      await Deno.mkdir(args[3], { recursive: true });
      await Deno.writeTextFile(`${args[3]}/CMakeLists.txt`, "project(llama.cpp)");
      return ok();
    }
    if (command === "git") return ok("de3ff815ea7d559ee917f063901b8986f038abc6\n");
    if (command.endsWith("llama-server")) {
      return ok("", "version: 0.5.0-dev (build 1, commit de3ff81)\nbuilt with GNU\n");
    }
    return { kind: "not_found", command };
  };
}

/** Plays cmake: configure writes CMakeCache.txt; the build prints progress and writes the binary. */
function fakeCmake(calls: string[][], buildCode = 0): RunLogged {
  return async (command, args, options) => {
    calls.push([command, ...args]);
    if (args[0] === "-S") {
      await Deno.mkdir(args[3], { recursive: true });
      await Deno.writeTextFile(`${args[3]}/CMakeCache.txt`, "");
      return 0;
    }
    for (
      const line of ["[ 10%] Building C object ggml.c.o", "[  9%] Building C object x.o", "[ 55%] Linking"]
    ) {
      options.onLine?.(line);
      await options.log.write(new TextEncoder().encode(line + "\n"));
    }
    if (buildCode !== 0) return buildCode;
    const binary = `${args[1]}/bin/llama-server`;
    await Deno.mkdir(`${args[1]}/bin`, { recursive: true });
    await Deno.writeTextFile(binary, "#!/bin/sh\n");
    await Deno.chmod(binary, 0o755);
    options.onLine?.("[100%] Built target llama-server");
    return 0;
  };
}

Deno.test("provisionLlamaServer() fetches, clones, configures and builds, reporting progress", async () => {
  const root = await Deno.makeTempDir();
  const runs: string[][] = [];
  const cmakes: string[][] = [];
  const progress: ProvisionProgress[] = [];
  try {
    const info = await provisionLlamaServer({
      root,
      run: fakeRun(runs),
      runLogged: fakeCmake(cmakes),
      detectCuda: () => Promise.resolve(false),
      jobs: 2,
      onProgress: (p) => progress.push(p),
    });
    const paths = llamaPaths(root);
    assert.deepEqual(runs.slice(0, 3).map((c) => c.slice(0, 2)), [["npm", "pack"], ["tar", "-xzf"], [
      "git",
      "clone",
    ]]);
    assert.equal(runs[0][2], "node-llama-cpp@3.22.1");
    assert.deepEqual(cmakes[0].slice(1), cmakeConfigureArgs(paths, { cuda: false }));
    assert.deepEqual(cmakes[1].slice(1), [
      "--build",
      paths.build,
      "--config",
      "Release",
      "--target",
      "llama-server",
      "-j2",
    ]);
    assert.deepEqual([...new Set(progress.map((p) => p.stage))], [
      "download",
      "extract",
      "clone",
      "configure",
      "build",
      "done",
    ]);
    const percents = progress.filter((p) => p.stage === "build").map((p) => p.percent);
    assert.deepEqual(percents, [0, 10, 10, 55, 100]);
    assert.equal(info.tag, "v0.5.0");
    assert.equal(info.version, "0.5.0-dev (build 1, commit de3ff81)");
    assert.equal(info.commit, "de3ff815ea7d559ee917f063901b8986f038abc6");
    assert.deepEqual(await readBuildInfo(paths), info);
    assert.match(await Deno.readTextFile(paths.log), /\[ 55%\] Linking/);
    const found = await findLlamaServer({ root, which: () => Promise.resolve(undefined) });
    assert.equal(found.kind === "found" && found.source, "cache");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("provisionLlamaServer() resumes an unfinished build without fetching or configuring again", async () => {
  const root = await Deno.makeTempDir();
  const paths = llamaPaths(root);
  const runs: string[][] = [];
  const cmakes: string[][] = [];
  try {
    await Deno.mkdir(paths.build, { recursive: true });
    await Deno.writeTextFile(`${paths.src}/CMakeLists.txt`, "");
    await Deno.writeTextFile(`${paths.build}/CMakeCache.txt`, "");
    const info = await provisionLlamaServer({ root, run: fakeRun(runs), runLogged: fakeCmake(cmakes) });
    assert.equal(runs.some((c) => c[0] === "npm"), false);
    assert.deepEqual(cmakes.map((c) => c[1]), ["--build"]);
    assert.equal(info.cmakeArgs, undefined);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("provisionLlamaServer() throws a ServerError naming the log when the build fails", async () => {
  const root = await Deno.makeTempDir();
  const paths = llamaPaths(root);
  try {
    await Deno.mkdir(paths.build, { recursive: true });
    await Deno.writeTextFile(`${paths.src}/CMakeLists.txt`, "");
    const failing = provisionLlamaServer({ root, run: fakeRun([]), runLogged: fakeCmake([], 2) });
    await assert.rejects(failing, (error: Error) => {
      assert.ok(error instanceof ServerError);
      assert.equal(
        error.message,
        `Cannot build llama-server: the build failed with exit code 2; see ${paths.log}`,
      );
      return true;
    });
    assert.equal(await readBuildInfo(paths), undefined);
    assert.equal((await findLlamaServer({ root, which: () => Promise.resolve(undefined) })).kind, "missing");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("provisionLlamaServer() names the missing tool when npm is not installed", async () => {
  const root = await Deno.makeTempDir();
  try {
    const run: RunCommand = (command) => Promise.resolve({ kind: "not_found", command });
    await assert.rejects(
      provisionLlamaServer({ root, run, runLogged: fakeCmake([]) }),
      new ServerError("Cannot fetch the llama.cpp source: npm is not installed"),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("cmakeConfigureArgs() builds the server only, adding CUDA when asked", () => {
  const paths = llamaPaths("/c");
  const cpu = cmakeConfigureArgs(paths, { cuda: false });
  for (const flag of ["-DCMAKE_BUILD_TYPE=Release", "-DLLAMA_CURL=OFF", "-DLLAMA_BUILD_SERVER=ON"]) {
    assert.ok(cpu.includes(flag), flag);
  }
  assert.ok(!cpu.includes("-DGGML_CUDA=ON"));
  assert.ok(cmakeConfigureArgs(paths, { cuda: true }).includes("-DGGML_CUDA=ON"));
});

Deno.test("ensureLlamaServer() never provisions over a configured path that does not exist", async () => {
  let built = false;
  const runLogged: RunLogged = () => {
    built = true;
    return Promise.resolve(0);
  };
  await assert.rejects(ensureLlamaServer({ binary: "/nonexistent/llama-server", runLogged }), ConfigError);
  assert.equal(built, false);
});

Deno.test("withProvisionLock() refuses while another live process holds the lock, takes over a dead one's", async () => {
  const root = await Deno.makeTempDir();
  const paths = llamaPaths(root);
  try {
    await Deno.mkdir(paths.dir, { recursive: true });
    await Deno.writeTextFile(`${paths.dir}/provision.lock`, "1");
    await assert.rejects(
      withProvisionLock(paths, () => Promise.resolve()),
      new ServerError("Cannot provision llama-server: another build is running (pid 1)"),
    );
    const child = new Deno.Command("true").spawn();
    await child.status;
    await Deno.writeTextFile(`${paths.dir}/provision.lock`, String(child.pid));
    assert.equal(await withProvisionLock(paths, () => Promise.resolve("ran")), "ran");
    await assert.rejects(Deno.stat(`${paths.dir}/provision.lock`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("serverVersion() and llamaInfo() read the real cached llama-server", ENGINE, async () => {
  const found = await findLlamaServer();
  if (found.kind !== "found") throw new Error("run `deno run -A tools/provision.ts` first");
  assert.match((await serverVersion(found.path)) ?? "", /^\d+\.\d+\.\d+/);
  const info = await llamaInfo();
  assert.equal(info.kind, "found");
  assert.match(info.kind === "found" ? info.version ?? "" : "", /commit [0-9a-f]{7}/);
});
