/**
 * A start that fails in the warm-up: the server answered `/health` but the model then failed to load
 * (what mlx_lm.server does when its loading races the first probe). The real server shows this only
 * by timing, so a fake process (a real `sleep` in its own group, plus an HTTP server playing
 * mlx_lm.server's answers on the spawned port) makes it certain.
 */
import assert from "node:assert/strict";
import { ServerError } from "../../lib/errors.ts";
import { ensureServer } from "../../lib/server/lifecycle.ts";
import { pidAlive } from "../../lib/host/process.ts";
import { type ServerProcess, spawnServer } from "../../lib/server/process_group.ts";
import { readState, stateFilePath } from "../../lib/server/state_file.ts";
import { freePort, json } from "./_helpers.ts";
import { requires } from "../_tier.ts";

const PYTHON = requires("python3");

Deno.test(
  "ensureServer() reports a failed mlx warm-up with the log's last lines and stops the process",
  PYTHON,
  async () => {
    const stateDir = await Deno.makeTempDir();
    const port = freePort();
    const servers: Deno.HttpServer[] = [];
    let process: ServerProcess | undefined;
    try {
      const spawn = (request: { argv: string[]; logPath: string }) => {
        process = spawnServer({ argv: ["sleep", "300"], logPath: request.logPath });
        Deno.writeTextFileSync(
          request.logPath,
          "Traceback (most recent call last):\nFileNotFoundError: No safetensors found in /models/broken\n",
          { append: true },
        );
        servers.push(Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, (req) => {
          if (new URL(req.url).pathname === "/health") return json({ status: "ok" });
          return json({ error: "generation thread died" }, 404);
        }));
        return process;
      };
      const model = await Deno.makeTempDir({ dir: stateDir });
      const spec = { engine: "mlx" as const, model, host: "127.0.0.1", port, binary: "python3" };
      await assert.rejects(ensureServer(spec, { stateDir, spawn }), (error: Error) => {
        assert.ok(error instanceof ServerError);
        assert.match(
          error.message,
          /^Cannot start mlx_lm.server: the warm-up request failed: HTTP 404 \{"error":"generation thread died"\} \(log: /,
        );
        assert.match(error.message, /\n {2}FileNotFoundError: No safetensors found in \/models\/broken$/);
        return true;
      });
      assert.equal(pidAlive(process!.pid), false);
      assert.deepEqual(await readState(stateFilePath(stateDir, port)), { kind: "absent" });
    } finally {
      for (const server of servers) await server.shutdown();
      await Deno.remove(stateDir, { recursive: true });
    }
  },
);
