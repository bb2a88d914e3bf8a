import assert from "node:assert/strict";
import { FACTORY_VERSION, provenanceOf, sandboxUsed } from "../../lib/setup/provenance.ts";

Deno.test("FACTORY_VERSION is deno.json's version", async () => {
  const { version } = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  assert.equal(FACTORY_VERSION, version);
});

Deno.test("sandboxUsed() names the sandbox programs run in", () => {
  const bwrap = {
    kind: "bwrap" as const,
    bwrap: "/usr/bin/bwrap",
    prlimit: "/usr/bin/prlimit",
    shell: "/bin/sh",
  };
  assert.equal(sandboxUsed({ kind: "isolated", isolation: bwrap, description: "bubblewrap" }), "bubblewrap");
  const seatbelt = { kind: "sandbox_exec" as const, path: "/usr/bin/sandbox-exec" };
  assert.equal(
    sandboxUsed({ kind: "isolated", isolation: seatbelt, description: "sandbox-exec" }),
    "sandbox-exec",
  );
  assert.equal(sandboxUsed({ kind: "unsandboxed", warning: "no sandbox" }), "none");
});

Deno.test("provenanceOf() takes the connection's model, engine and URL", () => {
  const connection = {
    modelName: "qwen2.5-coder:1.5b",
    engine: "ollama",
    baseUrl: "http://127.0.0.1:11434/v1",
  };
  assert.deepEqual(provenanceOf(connection, { kind: "unsandboxed" }), {
    model: "qwen2.5-coder:1.5b",
    engine: "ollama",
    serverUrl: "http://127.0.0.1:11434/v1",
    factoryVersion: FACTORY_VERSION,
    sandbox: "none",
  });
});
