/**
 * Speculative decoding with the verified offline model (Qwen2.5-Coder 1.5B) through the CLI: a run with
 * prompt lookup writes the same programs as a run without it, at temperature 0, on the same task. Slow
 * on a 2-core CPU (two runs of the Fibonacci example); speed is the benchmark's business, not asserted.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cachedModel } from "../../lib/models/fetch_model.ts";
import { defaultCatalog } from "../../lib/models/catalog.ts";
import { assertNoServerLeft, freePort } from "../server/_helpers.ts";
import { tempDir } from "../_helpers.ts";
import { FAST, requires } from "../_tier.ts";

const model = FAST ? undefined : await cachedModel(defaultCatalog().default);
const missing = !FAST && model === undefined && Deno.env.get("CI") !== "true";
if (missing) console.warn("real-model tests ignored: run `deno run -A cli.ts model fetch` first");
const ignore = requires("offline model").ignore || missing;

/** Runs the Fibonacci example with `--speculative mode`; answers every attempt's program and the transcript. */
async function fibonacci(mode: string) {
  await using dir = await tempDir();
  const out = join(dir.path, "runs");
  const config = join(dir.path, "factory.yaml");
  // Greedy retries too: speculation must change the speed, never the text.
  await Deno.writeTextFile(config, "agent:\n  llm_timeout: 900\n  max_attempts: 2\n  retry_temperature: 0\n");
  const port = freePort();
  const args = ["run", "--task", "examples/fibonacci.yaml", "--speculative", mode, "--port", String(port)];
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli.ts", ...args, "--out", out, "--quiet", "--config", config],
    stdout: "null",
    stderr: "piped",
    stdin: "null",
  }).output();
  assertNoServerLeft(port);
  const [run] = await Array.fromAsync(Deno.readDir(out));
  const dirPath = join(out, run.name);
  const attempts = (await Array.fromAsync(Deno.readDir(dirPath))).filter((e) =>
    e.name.startsWith("attempt-")
  );
  const programs = await Promise.all(
    attempts.map((a) => a.name).sort().map((name) => Deno.readTextFile(join(dirPath, name, "script.py"))),
  );
  const calls = (await Deno.readTextFile(join(dirPath, "transcript.jsonl"))).trim().split("\n")
    .map((line) => JSON.parse(line)).filter((event) => event.kind === "model_call");
  return { code, stderr: new TextDecoder().decode(stderr), programs, calls };
}

Deno.test({
  name: "real model: prompt-lookup speculation writes the same programs as plain decoding",
  ignore,
  async fn() {
    const plain = await fibonacci("off");
    const ngram = await fibonacci("ngram");
    assert.equal(plain.code, ngram.code, `${plain.stderr}\n${ngram.stderr}`);
    assert.ok(plain.programs.length > 0, plain.stderr);
    assert.deepEqual(ngram.programs, plain.programs);
    assert.equal(plain.calls.some((c) => c.reply?.timings?.draftTokens !== undefined), false);
    assert.ok(ngram.calls.every((c) => c.reply?.timings?.decodeMs > 0), "every turn was timed");
  },
});
