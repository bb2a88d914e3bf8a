import assert from "node:assert/strict";
import type { ChatModel, ModelReply } from "../../lib/types.ts";
import { describeResult, describeSpeed } from "../../lib/render/format.ts";
import { terminalSink } from "../../lib/render/terminal.ts";
import { replyFacts } from "../../lib/render/turn_html.ts";
import { runTask } from "../../lib/orchestrator/run_task.ts";
import { coderReply, fakeExecutor, reply, scriptedModel, sheriffReply } from "../_fakes.ts";
import { FIB_OUTPUT, FIB_PROGRAM, pyTask, tempDir, testLimits } from "../_helpers.ts";

/** 50 completion tokens in 2 s of decode: 25 tokens/s. */
function timed(timings: Partial<NonNullable<ModelReply["timings"]>> = {}): ModelReply {
  return { ...reply("x"), timings: { prefillMs: 100, decodeMs: 2000, ...timings } };
}

Deno.test("describeSpeed() gives a turn's decode speed and, with speculation, its acceptance", async (t) => {
  await t.step("timed without speculation: tokens per second of decode", () => {
    assert.equal(describeSpeed(timed()), "25.0 tokens/s");
  });
  await t.step("with drafted tokens: how many the model accepted", () => {
    assert.equal(
      describeSpeed(timed({ draftTokens: 40, draftAccepted: 30 })),
      "25.0 tokens/s · 30/40 drafted tokens accepted (75%)",
    );
  });
  await t.step("no timings (ollama, a remote API) or no decode time: nothing", () => {
    assert.equal(describeSpeed(reply("x")), "");
    assert.equal(describeSpeed(timed({ decodeMs: 0 })), "");
  });
});

/** The scripted model, with server timings added to every reply as llama-server would send them. */
function timedModel(script: string[], draft: { draftTokens: number; draftAccepted: number }): ChatModel {
  const model = scriptedModel(script);
  return {
    async chat(request) {
      const answer = await model.chat(request);
      return { ...answer, timings: { prefillMs: 10, decodeMs: 1000, ...draft } };
    },
  };
}

Deno.test("the terminal shows each turn's tokens/s and acceptance, and the run's in the summary", async () => {
  await using out = await tempDir();
  let text = "";
  using terminal = terminalSink({ write: (s) => void (text += s), tty: false, showTokens: false });
  const model = timedModel([coderReply(FIB_PROGRAM), sheriffReply("PASS")], {
    draftTokens: 20,
    draftAccepted: 15,
  });
  const result = await runTask(pyTask(), {
    model,
    executor: fakeExecutor([{ stdout: FIB_OUTPUT }]),
    limits: testLimits(),
    outDir: out.path,
    emit: terminal.sink,
  });
  assert.equal(result.status, "passed");
  const lines = text.split("\n");
  const coder = lines.find((l) => l.startsWith("Coder wrote"));
  assert.match(coder ?? "", / · 50 tokens · 50\.0 tokens\/s · 15\/20 drafted tokens accepted \(75%\)/);
  const sheriff = lines.findIndex((l) => l.startsWith("Sheriff PASS"));
  assert.equal(lines[sheriff + 1], "  50.0 tokens/s · 15/20 drafted tokens accepted (75%)");
  assert.ok(
    lines.includes(
      "decode: Coder 50.0 tokens/s, Sheriff 50.0 tokens/s · speculation accepted 75% of 40 drafted tokens",
    ),
    text,
  );
  assert.deepEqual(describeResult(result).filter((l) => l.startsWith("decode:")).length, 1);
});

Deno.test("describeResult() has no speed line when no turn was timed", async () => {
  await using out = await tempDir();
  const result = await runTask(pyTask(), {
    model: scriptedModel([coderReply(FIB_PROGRAM), sheriffReply("PASS")]),
    executor: fakeExecutor([{ stdout: FIB_OUTPUT }]),
    limits: testLimits(),
    outDir: out.path,
  });
  assert.equal(describeResult(result).some((l) => l.startsWith("decode:")), false);
});

Deno.test("the notebook's turn cards show tokens/s and acceptance (replyFacts)", () => {
  assert.equal(
    replyFacts(timed({ draftTokens: 8, draftAccepted: 2 })),
    "50 tokens (100 prompt) · 5 ms · 25.0 tokens/s · 2/8 drafted tokens accepted (25%)",
  );
  assert.equal(replyFacts(reply("x")), "50 tokens (100 prompt) · 5 ms");
});

Deno.test("the terminal says when the Coder is asked again within an attempt, and why", async () => {
  let text = "";
  using terminal = terminalSink({ write: (s) => void (text += s), tty: false, showTokens: false });
  await terminal.sink({ kind: "coder_start", attempt: 2 });
  await terminal.sink({ kind: "coder_start", attempt: 2, again: "the retry sent the failing program again" });
  const lines = text.split("\n").filter((line) => line.includes("attempt 2"));
  assert.deepEqual(lines, [
    "── attempt 2 · Coder",
    "── attempt 2 · Coder again: the retry sent the failing program again",
  ]);
});
