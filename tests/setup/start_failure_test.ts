import assert from "node:assert/strict";
import { ServerError } from "../../lib/errors.ts";
import { DEFAULT_CONFIG } from "../../lib/config/schema.ts";
import { explainStartFailure } from "../../lib/setup/start_failure.ts";
import { connectModel } from "../../lib/setup/connect_model.ts";
import { tempDir } from "../_helpers.ts";

const mlxConfig = {
  ...DEFAULT_CONFIG,
  server: { ...DEFAULT_CONFIG.server, engine: "mlx" as const, model: "m" },
};
const crashed = new ServerError("Cannot start python3: it exited with code 1 before it was ready");

Deno.test("explainStartFailure() says how to get mlx_lm when no Python has it", async (t) => {
  await t.step("mlx without mlx_lm: both ways to install it", async () => {
    const error = await explainStartFailure(crashed, mlxConfig, {
      command: "factory",
      mlxFound: () => Promise.resolve(false),
    });
    assert.ok(error instanceof ServerError);
    assert.equal(
      error.message,
      'Cannot start mlx_lm.server: mlx_lm is not installed for python3: on Apple Silicon run "pip install mlx-lm"; ' +
        'on Linux run "factory engine install --engine mlx"',
    );
    assert.equal(error.cause, crashed);
  });
  await t.step("mlx with mlx_lm: the original error", async () => {
    assert.equal(
      await explainStartFailure(crashed, mlxConfig, { mlxFound: () => Promise.resolve(true) }),
      crashed,
    );
  });
  await t.step("a failed install: its own error, which says why", async () => {
    const install = new ServerError("Cannot install mlx: pip install failed with exit code 1; see /x/log");
    assert.equal(
      await explainStartFailure(install, mlxConfig, { mlxFound: () => Promise.resolve(false) }),
      install,
    );
  });
  await t.step("another engine: the original error, nothing asked", async () => {
    const asked: string[] = [];
    const mlxFound = () => (asked.push("asked"), Promise.resolve(false));
    assert.equal(await explainStartFailure(crashed, DEFAULT_CONFIG, { mlxFound }), crashed);
    assert.deepEqual(asked, []);
  });
});

Deno.test("connectModel() with --engine mlx and no mlx_lm fails with the advice", async () => {
  await using state = await tempDir();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  await assert.rejects(
    connectModel({ ...mlxConfig, server: { ...mlxConfig.server, port } }, {
      noServer: false,
      say: () => {},
      mlxFound: () => Promise.resolve(false),
      lifecycle: {
        resolveEngine: () => Promise.resolve("mlx"),
        findProgram: () => Promise.reject(crashed),
        stateDir: state.path,
      },
    }),
    (error: Error) =>
      error instanceof ServerError && /mlx_lm is not installed for python3/.test(error.message),
  );
});
