import assert from "node:assert/strict";
import { dirname, join, normalize, relative } from "node:path";
import { type ImportEdge, layerOf, MAY_IMPORT, violations } from "./layers.ts";

const ROOT = normalize(join(import.meta.dirname!, "..", ".."));
const SPECIFIER = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/g;

/** Every relative import and re-export of every file under lib/, as repository paths. */
async function importGraph(): Promise<ImportEdge[]> {
  const edges: ImportEdge[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(join(ROOT, dir))) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".ts")) {
        const text = await Deno.readTextFile(join(ROOT, path));
        for (const match of text.matchAll(SPECIFIER)) {
          if (!match[1].startsWith(".")) continue;
          edges.push({ from: path, to: relative(ROOT, join(ROOT, dirname(path), match[1])) });
        }
      }
    }
  };
  await walk("lib");
  return edges;
}

Deno.test("lib/ imports only point down the layers of docs/architecture.md", async (t) => {
  const edges = await importGraph();

  await t.step("the graph is read (static imports, type imports and re-exports)", () => {
    assert.ok(edges.length > 200, `only ${edges.length} imports found`);
    assert.ok(edges.some((e) => e.from === "lib/orchestrator/run_task.ts" && e.to === "lib/types.ts"));
  });

  await t.step("every folder of lib/ has a row in the table", () => {
    const folders = new Set(edges.map((e) => layerOf(e.from)));
    for (const folder of folders) assert.ok(folder !== undefined && folder in MAY_IMPORT, `lib/${folder}/`);
  });

  await t.step("no import points up or across", () => {
    assert.deepEqual(violations(edges), []);
  });

  await t.step("an upward import added on purpose is caught", () => {
    const planted = { from: "lib/render/terminal.ts", to: "lib/orchestrator/run_task.ts" };
    assert.deepEqual(violations([...edges, planted]).filter((v) => !violations(edges).includes(v)), [
      "lib/render/terminal.ts imports lib/orchestrator/run_task.ts: lib/render/ may not import lib/orchestrator/",
    ]);
  });

  await t.step("siblings do not know each other, and the root imports nothing", () => {
    assert.equal(violations([{ from: "lib/store/a.ts", to: "lib/render/b.ts" }]).length, 1);
    assert.equal(violations([{ from: "lib/types.ts", to: "lib/host/delay.ts" }]).length, 1);
    assert.equal(violations([{ from: "lib/task/a.ts", to: "lib/config/b.ts" }]).length, 0);
  });
});

Deno.test("docs/architecture.md names every layer of the table", async () => {
  const doc = await Deno.readTextFile(join(ROOT, "docs", "architecture.md"));
  for (const folder of Object.keys(MAY_IMPORT)) {
    if (folder !== ".") {
      assert.ok(doc.includes(`lib/${folder}/`), `docs/architecture.md lacks lib/${folder}/`);
    }
  }
});
