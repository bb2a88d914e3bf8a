/**
 * Class 8 of issue 11: TypeScript without an OS sandbox. Deno's `--allow-read=<work dir>` does not
 * cover module loading: static imports (and dynamic ones) of absolute paths are read before or beside
 * the permission checks, and a file that is not a module shows its text in the error. Without an OS
 * sandbox a TypeScript program must therefore not run at all.
 */
import assert from "node:assert/strict";
import type { Isolation } from "../../lib/sandbox/sandbox_mode.ts";
import { output, outsideWorld, runHostile } from "./_hostile.ts";

const NONE: Isolation = { kind: "none", reason: "bwrap was not found" };

Deno.test("execute() reads nothing outside the work dir through TypeScript imports without a sandbox", async (t) => {
  await using world = await outsideWorld();
  const programs = {
    "a static import": `import ${JSON.stringify(world.key)};`,
    "a static import as JSON": `import key from ${
      JSON.stringify(world.key)
    } with { type: "json" };\nconsole.log(key);`,
    "a dynamic import": `await import(${JSON.stringify(world.key)});`,
  };
  for (const mode of ["off", "auto without a sandbox"] as const) {
    for (const [name, code] of Object.entries(programs)) {
      await t.step(`${mode}: ${name}`, async () => {
        const options = mode === "off"
          ? { sandbox: "off" as const }
          : { sandbox: "auto" as const, detectIsolation: () => Promise.resolve(NONE) };
        await using run = await runHostile("typescript", code, options);
        assert.ok(!output(run.result).includes(world.secret), `the key leaked:\n${output(run.result)}`);
        assert.equal(run.result.kind, "refused", output(run.result));
        assert.match(output(run.result), /TypeScript programs need an OS sandbox/);
      });
    }
  }
  await t.step("with the sandbox the same imports find nothing", async () => {
    await using run = await runHostile("typescript", programs["a static import"]);
    assert.ok(!output(run.result).includes(world.secret), output(run.result));
    assert.equal(run.result.kind, "exited");
  });
  await world.assertUntouched();
});
