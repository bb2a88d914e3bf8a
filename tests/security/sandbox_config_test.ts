/** The top-level `sandbox` key of factory.yaml: parsed, layered, defaulted to auto. */
import assert from "node:assert/strict";
import { checkPartialConfig, parseConfigObject } from "../../lib/config/schema.ts";
import { resolveConfig, sandboxModeOf } from "../../lib/config/resolve.ts";
import { ConfigError } from "../../lib/errors.ts";

Deno.test("parseConfigObject() reads the top-level sandbox key", async (t) => {
  for (const mode of ["auto", "require", "off"] as const) {
    await t.step(mode, () => assert.deepEqual(parseConfigObject({ sandbox: mode }, "x"), { sandbox: mode }));
  }
  await t.step("rejecting anything else, naming the key", () => {
    for (const bad of ["on", true, 1, { mode: "auto" }]) {
      assert.throws(() => parseConfigObject({ sandbox: bad }, "Invalid config in f.yaml"), (error: Error) => {
        assert.ok(error instanceof ConfigError);
        assert.match(
          error.message,
          /^Invalid config in f\.yaml: sandbox: expected one of auto, require, off, got /,
        );
        return true;
      });
    }
  });
});

Deno.test("resolveConfig() layers sandbox like any key, and sandboxModeOf() defaults to auto", () => {
  assert.equal(sandboxModeOf(resolveConfig({})), "auto");
  assert.equal("sandbox" in resolveConfig({}), false, "absent, not undefined, when no layer sets it");
  assert.equal(sandboxModeOf(resolveConfig({ file: { sandbox: "require" } })), "require");
  assert.equal(
    sandboxModeOf(resolveConfig({ file: { sandbox: "require" }, flags: { sandbox: "off" } })),
    "off",
  );
  assert.equal(sandboxModeOf(resolveConfig({ file: { sandbox: "off" }, flags: {} })), "off");
  assert.deepEqual(checkPartialConfig({ sandbox: "off" }, "flags"), { sandbox: "off" });
});
