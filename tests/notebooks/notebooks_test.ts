/**
 * The notebooks executed on Deno's real Jupyter kernel through nbclient (what `jupyter nbconvert
 * --execute` uses), against the real llama-server with the tiny model (`FACTORY_MODEL` overrides it).
 * Needs Debian's `jupyter-nbconvert` and `python3-nbclient`, `deno jupyter --install`, and
 * `deno run -A tools/provision.ts`, as `.ci/run` does. The executed copies go to a temp dir; the
 * notebooks in the repository are not touched.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { stopServer } from "../../lib/server/stop_server.ts";
import { assertNoServerLeft, freePort, realEngine } from "../server/_helpers.ts";
import { tempDir } from "../_helpers.ts";
import { ESCAPED, HOSTILE, hostileRun } from "../render/_hostile_run.ts";
import { benchLine } from "../bench/_bench_lines.ts";
import { requires } from "../_tier.ts";

const NOTEBOOKS_NEED = requires("jupyter", "python3", "llama-server", "tiny model");

const NOTEBOOKS = new URL("../../notebooks/", import.meta.url).pathname;
const EXECUTE = new URL("./_execute.py", import.meta.url).pathname;
/** Debian's python, which has nbclient (another python3 may come first on PATH). */
const PYTHON = "/usr/bin/python3";
const MIMES = ["text/html", "text/markdown", "text/plain"];

interface Output {
  output_type: string;
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
  name?: string;
  text?: string | string[];
}
interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
}

const joined = (v: string | string[] | undefined) => Array.isArray(v) ? v.join("") : v ?? "";

/** Executes `notebooks/<name>` in a temp copy; returns its cells and the kernel's message counts. */
async function execute(name: string, out: string, env: Record<string, string>) {
  const target = join(out, name);
  const { code, stdout, stderr } = await new Deno.Command(PYTHON, {
    args: [EXECUTE, join(NOTEBOOKS, name), target, NOTEBOOKS, "600"],
    env: { ...env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(stderr);
  assert.equal(code, 0, `executing ${name} failed:\n${err}`);
  const notebook = JSON.parse(await Deno.readTextFile(target)) as { cells: Cell[] };
  const counts = JSON.parse(new TextDecoder().decode(stdout)) as Record<string, number>;
  return { cells: notebook.cells.filter((c) => c.cell_type === "code"), counts };
}

/** The outputs of the code cell whose source is `marker`, else the first that contains it. */
function outputsOf(cells: Cell[], marker: string): Output[] {
  const cell = cells.find((c) => joined(c.source).trim() === marker) ??
    cells.find((c) => joined(c.source).includes(marker));
  assert.ok(cell, `no cell with ${marker}`);
  return cell.outputs ?? [];
}

/** Fails on any error output, naming it. */
function assertNoErrors(cells: Cell[]): void {
  for (const cell of cells) {
    for (const o of cell.outputs ?? []) {
      assert.notEqual(o.output_type, "error", `${joined(cell.source)}\n→ ${o.ename}: ${o.evalue}`);
    }
  }
}

/** The single rich output of a cell, with all three MIME types. */
function richHtml(outputs: Output[]): string {
  const rich = outputs.filter((o) => o.data?.["text/html"]);
  assert.equal(rich.length, 1, `expected one rich output, got ${outputs.map((o) => o.output_type)}`);
  assert.deepEqual(Object.keys(rich[0].data!).sort(), MIMES);
  return joined(rich[0].data!["text/html"]);
}

function verdictBadges(html: string): number {
  return [
    ...html.matchAll(
      /<strong>#\d+<\/strong> <span class="fx-badge fx-(?:pass|fail)" data-verdict="(?:PASS|FAIL)">/g,
    ),
  ]
    .length;
}

/** Fails with the fix when Jupyter or the Deno kernel is missing. */
async function assertJupyter(): Promise<void> {
  const probe = await new Deno.Command(PYTHON, {
    args: [
      "-c",
      "import nbclient, jupyter_client; print(jupyter_client.kernelspec.find_kernel_specs()['deno'])",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output().catch((e) => ({ success: false, stderr: new TextEncoder().encode(String(e)) }));
  if (!probe.success) {
    throw new Error(
      "No Jupyter with the Deno kernel: apt-get install -y jupyter-nbconvert python3-nbclient && " +
        `deno jupyter --install (as .ci/run does)\n${new TextDecoder().decode(probe.stderr)}`,
    );
  }
}

Deno.test("the notebooks run on the Deno kernel and render every turn", NOTEBOOKS_NEED, async (t) => {
  await assertJupyter();
  const engine = await realEngine();
  await using dir = await tempDir();
  const runs = join(dir.path, "runs");
  const port = freePort();
  const env = {
    FACTORY_MODEL: Deno.env.get("FACTORY_MODEL") ?? engine.model,
    FACTORY_PORT: String(port),
    // The tiny model never stops by itself and llama-server slows down on its long replies: keep turns short.
    FACTORY_MAX_TOKENS: Deno.env.get("FACTORY_MAX_TOKENS") ?? "64",
    FACTORY_RUNS: runs,
  };

  await t.step("01-quickstart: server, a live run, each turn", async () => {
    const started = performance.now();
    let result;
    try {
      result = await execute("01-quickstart.ipynb", dir.path, env);
    } finally {
      await stopServer({ port });
    }
    assertNoServerLeft(port);
    const { cells, counts } = result;
    const [runId] = await Array.fromAsync(Deno.readDir(runs), (e) => e.name);
    const summary = JSON.parse(await Deno.readTextFile(join(runs, runId, "summary.json")));
    assert.ok(summary.attempts > 0, `the run made no attempt: ${summary.stopDetail}`);
    assertNoErrors(cells);
    assert.match(richHtml(outputsOf(cells, "notebookServer({")), /model server.*ready/s);
    const live = outputsOf(cells, "emit: notebookSink()");
    assert.equal(live[0]?.output_type, "display_data", "the run shows as one display");
    const runHtml = richHtml(live);
    assert.equal(verdictBadges(runHtml), summary.attempts, "a verdict badge per attempt");
    assert.match(runHtml, /<title>Time breakdown of run /);
    assert.equal(counts.display_data, 1, "one display for the whole run");
    assert.ok(counts.update_display_data >= 1, `it was updated in place (${JSON.stringify(counts)})`);
    assert.match(richHtml(outputsOf(cells, "run.coder(1)")), /<strong>Coder<\/strong>/);
    assert.match(richHtml(outputsOf(cells, "run.execution(1)")), /<strong>Run<\/strong>/);
    assert.match(richHtml(outputsOf(cells, "run.sheriff(1)")), /<strong>Sheriff<\/strong>/);
    assert.match(richHtml(outputsOf(cells, "run.attempt(")), /data-verdict=/);
    console.log(
      `01-quickstart: ${((performance.now() - started) / 1000).toFixed(1)} s, ${JSON.stringify(counts)}`,
    );
  });

  await t.step("02-inspect-a-run: a run with hostile output, replayed from its files", async () => {
    const { result } = await hostileRun(runs);
    const { cells } = await execute("02-inspect-a-run.ipynb", dir.path, {
      ...env,
      FACTORY_RUN_DIR: result.dir!,
    });
    assertNoErrors(cells);
    const html = richHtml(outputsOf(cells, "run"));
    assert.equal(verdictBadges(html), 2, "a verdict badge per attempt");
    const replay = outputsOf(cells, "for (const attempt");
    assert.equal(replay.length, 6, "Coder, run and Sheriff for each of 2 attempts");
    const everything = cells.flatMap((c) => c.outputs ?? []).map((o) => joined(o.data?.["text/html"])).join(
      "",
    );
    assert.ok(everything.includes(ESCAPED), "hostile text is shown escaped");
    assert.ok(!everything.includes(HOSTILE), "hostile text never reaches HTML raw");
    assert.match(richHtml(outputsOf(cells, "compareRuns(")), /<h4>2 runs<\/h4>/);
  });

  await t.step("03-benchmark: tables and charts from results.jsonl", async () => {
    const bench = join(dir.path, "results.jsonl");
    const lines = [benchLine("1", "single", false, 1), benchLine("1", "loop", true, 2)];
    await Deno.writeTextFile(bench, lines.join("\n") + "\n");
    const { cells } = await execute("03-benchmark.ipynb", dir.path, { ...env, FACTORY_BENCH: bench });
    assertNoErrors(cells);
    const byArm = richHtml(outputsOf(cells, "bench.byArm()"));
    assert.match(byArm, /<title>Pass rate by arm/);
    assert.ok(byArm.includes(ESCAPED) && !byArm.includes(HOSTILE));
    assert.match(richHtml(outputsOf(cells, "bench.byTask()")), /mbpp\/1/);
  });
});
