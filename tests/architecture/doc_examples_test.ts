import assert from "node:assert/strict";
import { join, normalize } from "node:path";
import { requires } from "../_tier.ts";

const ROOT = normalize(join(import.meta.dirname!, "..", ".."));
const ENTRIES = ["mod.ts", "server.ts", "sandbox.ts", "notebook.ts", "bench.ts", "testing.ts"];

/** The files of lib/ whose JSDoc holds an `@example`. */
async function filesWithExamples(dir = "lib"): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(join(ROOT, dir))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) found.push(...await filesWithExamples(path));
    else if (entry.name.endsWith(".ts") && (await Deno.readTextFile(join(ROOT, path))).includes("@example")) {
      found.push(path);
    }
  }
  return found;
}

Deno.test(
  "the JSDoc examples of the public API type-check (deno check --doc)",
  requires("deno check"),
  async () => {
    const files = await filesWithExamples();
    assert.ok(files.length >= 8, `only ${files.length} files with @example: ${files.join(", ")}`);
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", "--doc", ...ENTRIES, ...files],
      cwd: ROOT,
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
  },
);
