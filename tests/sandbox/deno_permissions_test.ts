import assert from "node:assert/strict";
import { execute } from "../../lib/sandbox/execute.ts";
import { DEFAULT_HEAP_MB, denoEnv, denoLaunch, denoRunArgs } from "../../lib/sandbox/deno_permissions.ts";
import { tempDir } from "./_temp_dir.ts";
import { requires } from "../_tier.ts";

const SANDBOX = requires("sandbox");

Deno.test("denoRunArgs() scopes the program to its work dir", async (t) => {
  await t.step("with the default heap bound", () => {
    assert.deepEqual(denoRunArgs("/runs/a/attempt-1", "main.ts"), [
      "run",
      "--allow-read=/runs/a/attempt-1",
      "--allow-write=/runs/a/attempt-1",
      "--no-prompt",
      "--no-remote",
      "--no-npm",
      "--no-config",
      "--no-lock",
      `--v8-flags=--max-old-space-size=${DEFAULT_HEAP_MB}`,
      "/runs/a/attempt-1/main.ts",
    ]);
  });
  await t.step("granting nothing else", () => {
    const args = denoRunArgs("/w", "main.ts", { heapMb: 128 }).join(" ");
    assert.doesNotMatch(args, /--allow-(net|env|run|ffi|sys|import|all)|-A\b/);
    assert.match(args, /--max-old-space-size=128/);
  });
  await t.step("rejecting dirs Deno cannot scope", () => {
    assert.throws(() => denoRunArgs("relative/dir", "main.ts"), RangeError);
    assert.throws(() => denoRunArgs("/a,b", "main.ts"), RangeError);
    assert.throws(() => denoRunArgs("/w", "main.ts", { heapMb: 0 }), RangeError);
  });
});

Deno.test("denoLaunch() gives the child only Deno's own settings", () => {
  const launch = denoLaunch("/usr/bin/deno", "/w", "main.ts", { denoDir: "/tmp/dd" });
  assert.equal(launch.command, "/usr/bin/deno");
  assert.equal(launch.cwd, "/w");
  assert.deepEqual(launch.env, denoEnv("/tmp/dd"));
  assert.deepEqual(launch.env, { DENO_DIR: "/tmp/dd", DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" });
});

/** Runs `code` as a sandboxed TypeScript program in a fresh dir. */
async function runTs(code: string) {
  await using dir = await tempDir();
  const result = await execute({ language: "typescript", code, dir: dir.path }, { timeoutMs: 30_000 });
  const entries = [];
  for await (const entry of Deno.readDir(dir.path)) entries.push(entry.name);
  return { result, entries: entries.sort(), dir: dir.path };
}

Deno.test("execute() denies a TypeScript program everything outside its work dir", SANDBOX, async (t) => {
  const cases: [string, string, RegExp][] = [
    [
      "reading a file outside",
      `console.log(await Deno.readTextFile("/etc/hostname"));`,
      /NotCapable: Requires read/,
    ],
    [
      "reading through node:fs",
      `import fs from "node:fs";\nfs.readFileSync("/etc/passwd");`,
      /NotCapable: Requires read/,
    ],
    [
      "writing a file outside",
      `await Deno.writeTextFile("/tmp/factory-escape.txt", "x");`,
      /NotCapable: Requires write/,
    ],
    ["fetching a URL", `await fetch("https://example.com/");`, /NotCapable: Requires net access/],
    ["reading the environment", `console.log(Deno.env.toObject());`, /NotCapable: Requires env access/],
    ["running a subprocess", `new Deno.Command("/bin/ls").outputSync();`, /NotCapable: Requires run access/],
    ["asking for system information", `console.log(Deno.hostname());`, /NotCapable: Requires sys access/],
    ["importing an npm module", `import x from "npm:left-pad@1";\nconsole.log(x);`, /--no-npm/],
    ["importing an npm module at run time", `await import("npm:zod");`, /--no-npm/],
    [
      "importing a remote module",
      `import x from "https://deno.land/x/y/mod.ts";\nconsole.log(x);`,
      /--no-remote/,
    ],
  ];
  for (const [name, code, refusal] of cases) {
    await t.step(name, async () => {
      const { result } = await runTs(code);
      assert.equal(result.kind, "exited", JSON.stringify(result));
      if (result.kind !== "exited") return;
      assert.notEqual(result.code, 0);
      assert.match(result.stderr.text, refusal);
    });
  }
  await assert.rejects(Deno.stat("/tmp/factory-escape.txt"), Deno.errors.NotFound);
});

Deno.test("execute() lets a TypeScript program read and write inside its work dir", SANDBOX, async () => {
  const code = [
    `import { join } from "node:path";`,
    `await Deno.mkdir("data");`,
    `await Deno.writeTextFile(join("data", "out.txt"), "written");`,
    `console.log(await Deno.readTextFile("data/out.txt"), Deno.cwd());`,
  ].join("\n");
  const { result, entries, dir } = await runTs(code);
  assert.equal(result.kind, "exited", JSON.stringify(result));
  if (result.kind !== "exited") return;
  assert.equal(result.stderr.text, "");
  assert.equal(result.code, 0);
  assert.equal(result.stdout.text, `written ${dir}\n`);
  assert.deepEqual(entries, ["data", "main.ts"], "Deno's cache stays out of the work dir");
});

Deno.test("execute() bounds a TypeScript program's heap", SANDBOX, async () => {
  await using dir = await tempDir();
  const code = "const keep: string[] = [];\nwhile (true) keep.push('x'.repeat(1024) + keep.length);\n";
  const result = await execute({ language: "typescript", code, dir: dir.path }, {
    timeoutMs: 60_000,
    heapMb: 32,
  });
  assert.equal(result.kind, "exited", JSON.stringify(result).slice(0, 500));
  if (result.kind !== "exited") return;
  assert.notEqual(result.code, 0);
  assert.match(result.stderr.text, /heap/i);
});
