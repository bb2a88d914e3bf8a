import assert from "node:assert/strict";
import { pythonLaunch, resolvePython } from "../../lib/sandbox/python.ts";
import { requires } from "../_tier.ts";

const PYTHON = requires("python3");

Deno.test("resolvePython() finds the real interpreter behind python3", PYTHON, async () => {
  const python = await resolvePython();
  if (python.kind !== "found") throw new Error(python.reason);
  assert.ok(python.path.startsWith("/"), python.path);
  assert.ok(!python.path.includes("/shims/"), `${python.path} is a pyenv shim`);
  const output = await new Deno.Command(python.path, {
    args: ["-c", "import sys; print(sys.version_info[0])"],
    clearEnv: true,
    env: { PATH: "/usr/bin:/bin" },
  }).output();
  assert.equal(new TextDecoder().decode(output.stdout).trim(), "3", "it runs with an empty environment");
  assert.deepEqual(await resolvePython(), python, "the answer is cached");
});

Deno.test("resolvePython() reports a missing interpreter", async (t) => {
  await t.step("given a path", async () => {
    const python = await resolvePython("/nonexistent/python3");
    assert.equal(python.kind, "missing");
    assert.match(python.kind === "missing" ? python.reason : "", /\/nonexistent\/python3: it was not found/);
  });
  await t.step("given an interpreter that fails", async () => {
    const python = await resolvePython("false");
    assert.equal(python.kind, "missing");
    assert.match(python.kind === "missing" ? python.reason : "", /false exited with code 1/);
  });
});

Deno.test("pythonLaunch() runs the file in its dir with an environment of its own", async (t) => {
  await t.step("putting the interpreter's dir first on PATH", () => {
    const launch = pythonLaunch("/opt/py/bin/python3", "/work/run", "main.py");
    assert.deepEqual(launch, {
      command: "/opt/py/bin/python3",
      args: ["main.py"],
      cwd: "/work/run",
      env: {
        PATH: "/opt/py/bin:/usr/local/bin:/usr/bin:/bin",
        HOME: "/work/run",
        LANG: "C.UTF-8",
        PYTHONDONTWRITEBYTECODE: "1",
        PYTHONUNBUFFERED: "1",
        PYTHONIOENCODING: "utf-8",
      },
    });
  });
  await t.step("without repeating a dir already on the safe PATH", () => {
    assert.equal(pythonLaunch("/usr/bin/python3", "/w", "main.py").env.PATH, "/usr/local/bin:/usr/bin:/bin");
  });
});
