/**
 * Time limits that do not end runs: the real client against a fake server that streams slowly.
 */
import assert from "node:assert/strict";
import { runTask } from "../../lib/orchestrator/run_task.ts";
import { openAIModel } from "../../lib/llm/client.ts";
import { fakeOpenAIServer } from "../_fake_openai_server.ts";
import { FIB_OUTPUT, FIB_PROGRAM, pyTask, tempDir, testLimits } from "../_helpers.ts";
import { coderReply, sheriffReply } from "../_fakes.ts";

Deno.test("runTask() on a server that streams slowly: a stalled turn keeps what arrived and the run goes on", async () => {
  await using out = await tempDir();
  await using server = fakeOpenAIServer({
    replies: [
      // Attempt 1: the Coder starts its program, then the server stops sending (a loaded machine).
      { text: "```python\na, b = 0, 1\nfor _ in range(10):\n    print(a)\n", chunkSize: 8, stallAfter: 3 },
      // Attempt 2: a slow but steady stream, every chunk within the stall limit.
      { text: coderReply(FIB_PROGRAM), chunkSize: 16, chunkDelayMs: 20 },
      { text: sheriffReply("PASS"), chunkSize: 16, chunkDelayMs: 20 },
    ],
  });
  const model = openAIModel({ baseUrl: server.baseUrl, model: "fake" });
  const result = await runTask(pyTask({ checks: { stdout: FIB_OUTPUT } }), {
    model,
    limits: testLimits({ llmTimeoutMs: 400 }),
    outDir: out.path,
  });
  assert.equal(result.status, "passed", result.stopDetail);
  assert.equal(result.attempts.length, 2);
  const first = result.attempts[0];
  assert.equal(first.draft.kind, "truncated");
  assert.equal(first.draft.reply.finishReason, "time_limit");
  assert.equal(first.draft.kind === "truncated" ? first.draft.partial : "", "a, b = 0, 1\nfo");
  const retry = server.chatBodies[1].messages!.at(-1)!.content;
  assert.match(retry, /^Attempt 1 failed\. Your previous reply took too long/);
});

Deno.test("runTask() on a server that never answers ends with error", async () => {
  await using out = await tempDir();
  await using server = fakeOpenAIServer({ replies: [{ silent: true }] });
  const model = openAIModel({ baseUrl: server.baseUrl, model: "fake" });
  const result = await runTask(pyTask(), {
    model,
    limits: testLimits({ llmTimeoutMs: 300 }),
    outDir: out.path,
  });
  assert.equal(result.status, "error");
  assert.equal(result.stopReason, "model_error");
  assert.match(result.stopDetail, /no answer within 0\.3 s/);
});
