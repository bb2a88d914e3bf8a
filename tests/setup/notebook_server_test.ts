import assert from "node:assert/strict";
import { notebookSettings } from "../../lib/setup/notebook_server.ts";
import { ConfigError } from "../../lib/errors.ts";

function env(values: Record<string, string>) {
  return (name: string) => values[name];
}

Deno.test("notebookSettings() reads the environment with defaults", async (t) => {
  await t.step("defaults", () => {
    assert.deepEqual(notebookSettings(env({})), {
      model: undefined,
      port: 8080,
      maxTokensPerTurn: 512,
      outDir: "../runs",
      runDir: undefined,
      benchResults: "../bench/results",
      speculative: "auto",
    });
  });
  await t.step("every variable", () => {
    const settings = notebookSettings(env({
      FACTORY_MODEL: "/m/tiny.gguf",
      FACTORY_PORT: "18080",
      FACTORY_MAX_TOKENS: "64",
      FACTORY_RUNS: "/tmp/runs",
      FACTORY_RUN_DIR: "/tmp/runs/r1",
      FACTORY_BENCH: "/tmp/b.jsonl",
      FACTORY_SPECULATIVE: "off",
    }));
    assert.deepEqual(settings, {
      model: "/m/tiny.gguf",
      port: 18080,
      maxTokensPerTurn: 64,
      outDir: "/tmp/runs",
      runDir: "/tmp/runs/r1",
      benchResults: "/tmp/b.jsonl",
      speculative: "off",
    });
  });
  await t.step("empty values count as unset", () => {
    assert.equal(notebookSettings(env({ FACTORY_MODEL: "", FACTORY_PORT: "" })).port, 8080);
    assert.equal(notebookSettings(env({ FACTORY_MODEL: "" })).model, undefined);
  });
  await t.step("a bad port or token count is a ConfigError naming the variable", () => {
    for (const port of ["http", "0", "70000", "80.5"]) {
      assert.throws(() => notebookSettings(env({ FACTORY_PORT: port })), (e) => {
        assert.ok(e instanceof ConfigError);
        assert.equal(e.message, `Cannot use FACTORY_PORT: not a port number: ${port}`);
        return true;
      });
    }
    assert.throws(() => notebookSettings(env({ FACTORY_MAX_TOKENS: "-5" })), {
      name: "ConfigError",
      message: "Cannot use FACTORY_MAX_TOKENS: not a positive whole number: -5",
    });
    assert.throws(() => notebookSettings(env({ FACTORY_SPECULATIVE: "fast" })), {
      name: "ConfigError",
      message: "Cannot use FACTORY_SPECULATIVE: not one of auto, off, ngram, draft: fast",
    });
  });
});
