import assert from "node:assert/strict";
import { ConfigError, ServerError } from "../../lib/errors.ts";
import type { CommandResult, RunCommand, RunLogged } from "../../lib/host/command.ts";
import type { ProvisionProgress } from "../../lib/server/llama_source.ts";
import {
  findMlxPython,
  MLX_PINS,
  mlxPaths,
  mlxRequirements,
  readMlxInfo,
} from "../../lib/server/mlx_venv.ts";
import { ensureMlxPython, pipInstallArgs, provisionMlx } from "../../lib/server/provision_mlx.ts";
import { requires } from "../_tier.ts";

const MLX = requires("mlx");

const ok = (stdout = ""): CommandResult => ({ kind: "exited", code: 0, stdout, stderr: "" });
const noPath = () => Promise.resolve(undefined);

async function fakeExecutable(path: string): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, "#!/bin/sh\n");
  await Deno.chmod(path, 0o755);
}

/** Plays `python3 -m venv` (makes bin/python3, or fails like Debian without python3-venv) and pip. */
function fakeInstaller(calls: string[][], fail: { venv?: boolean; pip?: boolean } = {}): RunLogged {
  return async (command, args, options) => {
    calls.push([command, ...args]);
    const say = async (line: string) => {
      options.onLine?.(line);
      await options.log.write(new TextEncoder().encode(line + "\n"));
    };
    if (args[1] === "venv") {
      if (fail.venv) {
        await say("The virtual environment was not created successfully because ensurepip is not");
        await say("available.  On Debian/Ubuntu systems, you need to install the python3-venv package");
        return 1;
      }
      await fakeExecutable(`${args[2]}/bin/python3`);
      return 0;
    }
    await say("Collecting mlx==0.32.4");
    if (fail.pip) {
      await say("ERROR: No matching distribution found for mlx==0.32.4");
      return 1;
    }
    await say("Installing collected packages: mlx-cpu, mlx, mlx-lm");
    await say("Successfully installed mlx-0.32.4 mlx-cpu-0.32.4 mlx-lm-0.32.2");
    return 0;
  };
}

/** Plays `python --version` and `pip list --format=json` of the made environment. */
const fakeRun: RunCommand = (_command, args) => {
  if (args[0] === "--version") return Promise.resolve(ok("Python 3.11.7\n"));
  const listed = [{ name: "mlx", version: "0.32.4" }, { name: "mlx_lm", version: "0.32.2" }, {
    name: "numpy",
    version: "2.4.6",
  }];
  return Promise.resolve(ok(JSON.stringify(listed)));
};

Deno.test("mlxRequirements() pins mlx (its CPU backend on Linux), mlx-lm, tokenizers and transformers", () => {
  assert.deepEqual(mlxRequirements("linux"), [
    `mlx[cpu]==${MLX_PINS.mlx}`,
    `mlx-lm==${MLX_PINS["mlx-lm"]}`,
    `tokenizers==${MLX_PINS.tokenizers}`,
    `transformers==${MLX_PINS.transformers}`,
  ]);
  assert.equal(mlxRequirements("darwin")[0], `mlx==${MLX_PINS.mlx}`);
  assert.deepEqual(pipInstallArgs(["a==1"]).slice(0, 3), ["-m", "pip", "install"]);
  assert.ok(pipInstallArgs(["a==1"]).includes("--only-binary=:all:"));
});

Deno.test("provisionMlx() makes the environment, installs the pins, reports progress and records it", async () => {
  const root = await Deno.makeTempDir();
  const calls: string[][] = [];
  const progress: ProvisionProgress[] = [];
  try {
    const info = await provisionMlx({
      root,
      requirements: mlxRequirements("linux"),
      runLogged: fakeInstaller(calls),
      run: fakeRun,
      onProgress: (p) => progress.push(p),
    });
    const paths = mlxPaths(root);
    assert.deepEqual(calls, [
      ["python3", "-m", "venv", paths.venv],
      [paths.python, ...pipInstallArgs(mlxRequirements("linux"))],
    ]);
    assert.deepEqual(progress.map((p) => p.stage), ["venv", "download", "install", "done"]);
    assert.equal(progress[2].message, "installing 3 packages");
    assert.deepEqual(info.installed, { mlx: "0.32.4", "mlx-lm": "0.32.2" });
    assert.equal(info.pythonVersion, "Python 3.11.7");
    assert.deepEqual(await readMlxInfo(paths), info);
    assert.match(await Deno.readTextFile(paths.log), /Successfully installed/);
    const found = await findMlxPython({ root, requirements: mlxRequirements("linux"), which: noPath });
    assert.deepEqual(found, { kind: "found", python: paths.python, source: "cache", info });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("provisionMlx() completes an unfinished environment without making it again", async () => {
  const root = await Deno.makeTempDir();
  const calls: string[][] = [];
  try {
    await fakeExecutable(mlxPaths(root).python);
    const unfinished = await findMlxPython({ root, which: noPath });
    assert.match(unfinished.kind === "missing" ? unfinished.reason : "", /was not finished$/);
    await provisionMlx({ root, runLogged: fakeInstaller(calls), run: fakeRun });
    assert.deepEqual(calls.map((c) => c.slice(1, 3)), [["-m", "pip"]]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("provisionMlx() failures are ServerErrors naming the fix or the log; nothing is recorded", async (t) => {
  const root = await Deno.makeTempDir();
  const paths = mlxPaths(root);
  try {
    await t.step("no venv support (Debian without python3-venv)", async () => {
      await assert.rejects(
        provisionMlx({ root, runLogged: fakeInstaller([], { venv: true }), run: fakeRun }),
        new ServerError(
          "Cannot install mlx: python3 -m venv failed with exit code 1 " +
            `(install python3-venv: sudo apt-get install python3-venv); see ${paths.log}`,
        ),
      );
      await assert.rejects(Deno.stat(paths.venv), Deno.errors.NotFound);
    });
    await t.step("pip cannot find a wheel", async () => {
      await assert.rejects(
        provisionMlx({ root, runLogged: fakeInstaller([], { pip: true }), run: fakeRun }),
        new ServerError(
          "Cannot install mlx: pip install failed with exit code 1: " +
            `ERROR: No matching distribution found for mlx==0.32.4; see ${paths.log}`,
        ),
      );
      assert.equal(await readMlxInfo(paths), undefined);
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("findMlxPython() prefers a configured Python, then the cache, then a python3 on PATH with mlx_lm", async (t) => {
  const root = await Deno.makeTempDir();
  const which = (program: string) => Promise.resolve(program === "python3" ? "/usr/bin/python3" : program);
  const withMlx: RunCommand = () => Promise.resolve(ok());
  const withoutMlx: RunCommand = () => Promise.resolve({ kind: "exited", code: 1, stdout: "", stderr: "" });
  try {
    await t.step("a configured Python is used as is", async () => {
      const found = await findMlxPython({ root, binary: "/opt/py/bin/python3", which, run: withoutMlx });
      assert.deepEqual(found, { kind: "found", python: "/opt/py/bin/python3", source: "configured" });
    });
    await t.step("python3 on PATH counts only when it has mlx_lm", async () => {
      assert.deepEqual(await findMlxPython({ root, which, run: withMlx }), {
        kind: "found",
        python: "/usr/bin/python3",
        source: "path",
      });
      const missing = await findMlxPython({ root, which, run: withoutMlx });
      assert.equal(missing.kind, "missing");
    });
    await t.step(
      "a finished cached environment wins over PATH; one made for other pins does not",
      async () => {
        await provisionMlx({ root, runLogged: fakeInstaller([]), run: fakeRun, requirements: ["mlx==0.1"] });
        const stale = await findMlxPython({ root, which, run: withoutMlx, requirements: ["mlx==0.2"] });
        assert.match(stale.kind === "missing" ? stale.reason : "", /was made for other versions/);
        const cached = await findMlxPython({ root, which, run: withMlx, requirements: ["mlx==0.1"] });
        assert.equal(cached.kind === "found" && cached.source, "cache");
      },
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("ensureMlxPython() never provisions over a configured Python that does not exist", async () => {
  const calls: string[][] = [];
  await assert.rejects(
    ensureMlxPython({ binary: "/nonexistent/python3", runLogged: fakeInstaller(calls), which: noPath }),
    new ConfigError("Cannot use mlx_lm.server: /nonexistent/python3 is not an executable file"),
  );
  assert.deepEqual(calls, []);
});

Deno.test("the cached mlx environment has exactly the pinned versions (real pip)", MLX, async () => {
  const found = await findMlxPython({ searchPath: false });
  if (found.kind !== "found") throw new Error("run `deno run -A tools/provision.ts` first");
  const { mlx, ...rest } = MLX_PINS;
  const backend = Deno.build.os === "linux" ? { "mlx-cpu": mlx } : { "mlx-metal": mlx };
  assert.deepEqual(found.info?.installed, { mlx, ...backend, ...rest });
});
