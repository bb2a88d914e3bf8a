import assert from "node:assert/strict";
import { join } from "node:path";
import { jsonlAppender, jsonLine, parseJsonLines } from "../../lib/bench/jsonl.ts";
import { markdownReport } from "../../lib/bench/markdown.ts";
import { svgReport } from "../../lib/bench/svg.ts";
import { summarize } from "../../lib/bench/summary.ts";
import { RESULT_FILES, rewriteReports, writeReports } from "../../lib/bench/write_results.ts";
import { ConfigError } from "../../lib/errors.ts";
import { benchLimits } from "../../lib/bench/arms.ts";
import type { BenchMeta } from "../../lib/bench/meta.ts";
import { tempDir } from "../_helpers.ts";
import { attemptRecord, benchRecord } from "./_fixtures.ts";

const META: BenchMeta = {
  suite: "mbpp",
  selection: "quick subset (2 tasks)",
  model: "qwen <1.5b> & co.gguf",
  server: "llama.cpp llama-server at http://127.0.0.1:8080/v1",
  limits: benchLimits(),
  concurrency: 2,
  command: "deno task bench mbpp",
  date: "2026-11-25T12:00:00.000Z",
  machine: "linux x86_64, 2 CPU cores",
};

const RECORDS = [
  benchRecord({ taskId: "2", arm: "single", attemptDetails: [attemptRecord({ sheriff: "skipped" })] }),
  benchRecord({ taskId: "2", arm: "loop" }),
  benchRecord({
    taskId: "82",
    arm: "single",
    passed: false,
    claimed: true,
    attemptDetails: [attemptRecord({ sheriff: "skipped", truth: false })],
  }),
  benchRecord({
    taskId: "82",
    arm: "loop",
    passed: false,
    claimed: false,
    attemptDetails: [
      attemptRecord({ truth: false, sheriff: "FAIL" }),
      attemptRecord({ n: 2, truth: false, sheriff: "PASS" }),
    ],
  }),
];

Deno.test("jsonLine() and parseJsonLines() round-trip records, one per line", async () => {
  const text = RECORDS.map(jsonLine).join("");
  assert.equal(text.split("\n").length, RECORDS.length + 1);
  assert.deepEqual(parseJsonLines(text + "\n\n"), RECORDS);
  await using dir = await tempDir();
  const path = join(dir.path, "r.jsonl");
  const append = jsonlAppender(path);
  for (const record of RECORDS) await append(record);
  assert.deepEqual(parseJsonLines(await Deno.readTextFile(path)), RECORDS);
});

Deno.test("markdownReport()", async (t) => {
  const markdown = markdownReport(META, summarize(["single", "loop"], RECORDS), RECORDS);
  const lines = markdown.split("\n");
  await t.step("names the model, settings and command", () => {
    assert.ok(markdown.startsWith("# factory benchmark: mbpp, quick subset (2 tasks)\n"));
    assert.ok(
      markdown.includes(
        "temperature 0 (Coder retries 0.7), at most 3 attempts (raw and single: 1), 768 tokens a turn, 10 s a program run",
      ),
    );
    assert.ok(markdown.includes("- Command: `deno task bench mbpp`"));
  });
  await t.step("has one row per arm: pass, repair, false PASS by checks, imitation, attempts, errors", () => {
    const single = lines.find((l) => l.startsWith("| single | 2 |"))!;
    const loop = lines.find((l) => l.startsWith("| loop | 2 |"))!;
    assert.match(
      single,
      /^\| single \| 2 \| 50% \(1\/2\) \| – \| – \| – \| 0% \(0\/2\) \| 1\.0 \| [^|]+ \| 0% \(0\/2\) \| – \| 1 \|/,
    );
    assert.match(
      loop,
      /^\| loop \| 2 \| 50% \(1\/2\) \| 0% \(0\/1\) \| – \| 50% \(1\/2\) \| 0% \(0\/3\) \| 1\.5 \| [^|]+ \| 0% \(0\/2\) \| 67% \(2\/3\) \| 0 \|/,
    );
  });
  await t.step("every table row has as many cells as its header", () => {
    let columns = 0;
    for (const line of lines) {
      if (!line.startsWith("|")) {
        columns = 0;
        continue;
      }
      const cells = line.split("|").length;
      if (columns === 0) columns = cells;
      assert.equal(cells, columns, line);
    }
  });
  await t.step("has a row per task with each arm's outcome", () => {
    assert.ok(lines.includes("| 82 | ✗ 1 (false claim) | ✗ 2 |"));
  });
  await t.step("says nothing of the loop when single ran on its own", () => {
    assert.ok(!markdown.includes("scored from the loop arm"));
  });
});

Deno.test("markdownReport() says under the arm table when single was scored from the loop arm", () => {
  const records = RECORDS.map((r) => r.arm === "single" ? { ...r, derivedFrom: "loop" as const } : r);
  const markdown = markdownReport(META, summarize(["single", "loop"], records), records);
  const note = "single: scored from the loop arm's first attempt (the same run stopped after one attempt";
  const at = markdown.indexOf(note);
  assert.ok(at > markdown.indexOf("| loop | 2 |"), "under the table");
  assert.ok(at < markdown.indexOf("- **pass**"), "before the notes");
  assert.ok(markdown.includes("which pairs the two arms exactly."));
});

Deno.test("svgReport() is one self-contained SVG document with a bar per arm", () => {
  const svg = svgReport(META, summarize(["single", "loop"], RECORDS));
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.ok(svg.trimEnd().endsWith("</svg>"));
  assert.equal(svg.match(/<svg/g)?.length, 1);
  assert.ok(!/href|<script|<style|@import|url\(/i.test(svg), "nothing from outside");
  assert.ok(svg.includes("qwen &lt;1.5b&gt; &amp; co.gguf"), "text is escaped");
  assert.ok(svg.includes(">single</text>") && svg.includes(">loop</text>"));
  assert.ok(svg.includes(">50% (1/2)</text>"));
  const tags = svg.match(/<(rect|text|title|svg)\b/g)!.length;
  const closes = (svg.match(/<\/(text|title|svg)>/g)?.length ?? 0) + (svg.match(/\/>/g)?.length ?? 0);
  assert.equal(tags, closes, "every element is closed");
});

Deno.test("writeReports() writes the reports and meta.json; rewriteReports() renders them again", async () => {
  await using dir = await tempDir();
  const { summaries, markdown } = await writeReports(dir.path, META, ["single", "loop"], RECORDS);
  assert.equal(summaries.length, 2);
  assert.equal(await Deno.readTextFile(join(dir.path, RESULT_FILES.markdown)), markdown);
  const svg = await Deno.readTextFile(join(dir.path, RESULT_FILES.svg));
  assert.ok(svg.startsWith("<svg"));
  assert.deepEqual(JSON.parse(await Deno.readTextFile(join(dir.path, RESULT_FILES.meta))), {
    ...META,
    arms: ["single", "loop"],
  });
  await Deno.writeTextFile(join(dir.path, RESULT_FILES.jsonl), RECORDS.map(jsonLine).join(""));
  await Deno.remove(join(dir.path, RESULT_FILES.markdown));
  const again = await rewriteReports(dir.path);
  assert.equal(again.markdown, markdown);
  assert.equal(await Deno.readTextFile(join(dir.path, RESULT_FILES.svg)), svg);
});

Deno.test("rewriteReports() names the missing file", async () => {
  await using dir = await tempDir();
  await assert.rejects(
    rewriteReports(dir.path),
    (e) => e instanceof ConfigError && e.message.includes("meta.json"),
  );
});
