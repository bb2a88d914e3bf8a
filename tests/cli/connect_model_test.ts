/**
 * connectModel() against a running server (`--no-server`, `--base-url`): which model it asks for when
 * the server lists none, lists others first, or factory started it (its state file names the model).
 */
import assert from "node:assert/strict";
import { ServerError } from "../../lib/errors.ts";
import { connectModel } from "../../lib/setup/connect_model.ts";
import { resolveConfig } from "../../lib/config/resolve.ts";
import { terminateGroup } from "../../lib/server/process_group.ts";
import { stateFilePath, writeState } from "../../lib/server/state_file.ts";
import { fakeOpenAIServer } from "../_fake_openai_server.ts";
import { tempDir } from "../_helpers.ts";
import { otherProgram } from "../server/_helpers.ts";

const EMPTY_BODY = { status: 200, body: "" };

async function connect(baseUrl: string, stateDir: string, model?: string) {
  const config = resolveConfig({ flags: { server: { baseUrl, model } } });
  const lines: string[] = [];
  const connection = await connectModel(config, {
    noServer: true,
    say: (line) => lines.push(line),
    lifecycle: { stateDir },
  });
  await connection[Symbol.asyncDispose]();
  return { modelName: connection.modelName, lines };
}

Deno.test("connectModel() to a server that answers /models with an empty body (mlx_lm.server without a Hugging Face cache)", async (t) => {
  await using dir = await tempDir();
  await using server = fakeOpenAIServer({ models: EMPTY_BODY });
  await t.step("uses the model named with -m", async () => {
    const { modelName, lines } = await connect(server.baseUrl, dir.path, "/models/tiny");
    assert.equal(modelName, "/models/tiny");
    assert.deepEqual(lines, [`model server ${server.baseUrl} · model /models/tiny\n`]);
  });
  await t.step("without -m and not started by factory: a ServerError asking for -m", async () => {
    await assert.rejects(
      connect(server.baseUrl, dir.path),
      new ServerError(
        `Model server at ${server.baseUrl} answered /models with an empty body: name the served model with -m`,
      ),
    );
  });
});

Deno.test("connectModel() without -m asks factory's own server for the model its state file records", async (t) => {
  await using dir = await tempDir();
  const process = await otherProgram(`${dir.path}/server.log`);
  try {
    const cases: [string, string[] | typeof EMPTY_BODY][] = [
      ["lists nothing", EMPTY_BODY],
      ["lists other models first", ["mlx-community/Cached-4bit", "/models/tiny"]],
    ];
    for (const [name, models] of cases) {
      await t.step(name, async () => {
        await using server = fakeOpenAIServer({ models });
        const port = Number(new URL(server.baseUrl).port);
        await writeState(stateFilePath(dir.path, port), {
          version: 1,
          engine: "mlx",
          model: "/models/tiny",
          host: "127.0.0.1",
          port,
          baseUrl: server.baseUrl,
          pid: process.pid,
          pgid: process.pgid,
          argv: ["sleep", "300"],
          startedAt: new Date().toISOString(),
          logPath: `${dir.path}/server.log`,
        });
        assert.equal((await connect(server.baseUrl, dir.path)).modelName, "/models/tiny");
      });
    }
    await t.step("a server factory did not start keeps its first listed model", async () => {
      await using server = fakeOpenAIServer({ models: ["first", "second"] });
      assert.equal((await connect(server.baseUrl, dir.path)).modelName, "first");
    });
  } finally {
    await terminateGroup(process, { exited: process.exited });
  }
});
