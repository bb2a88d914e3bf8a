import assert from "node:assert/strict";
import type { ExecResult, Task } from "../../lib/types.ts";
import {
  coderMessages,
  MAX_PROMPT_CHARS,
  PROMPT_BUDGETS,
  type Review,
  SHERIFF_SYSTEM_PROMPT,
  sheriffMessages,
} from "../../lib/agents/prompts.ts";
import { assertGolden, renderMessages } from "./_golden.ts";
import { untrustedBody } from "./_markdown.ts";
import { attempt, captured, check, codeDraft, exited, FIZZ_TASK, opinion } from "./_factories.ts";

/** Text of `size` characters full of backtick runs, line breaks and a multi-unit character. */
function noise(size: number, seed: string): string {
  const unit = `${seed} \`\`\`\`\`\`\`\`\`\` line 🦕\n`;
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

const HUGE_TASK: Task = {
  name: "huge",
  description: noise(50_000, "description"),
  constraints: Array.from({ length: 500 }, (_, index) => `constraint ${index} ${noise(300, "c")}`),
  language: "python",
  checks: {
    stdout: noise(20_000, "expected"),
    stdoutContains: Array.from({ length: 300 }, (_, index) => `needle ${index}`),
    stdoutMatches: "a".repeat(5000),
    files: Array.from({ length: 300 }, (_, index) => `file-${index}.txt`),
    test: noise(20_000, "test"),
  },
};

const HUGE_EXEC: ExecResult = {
  kind: "exited",
  code: 1,
  stdout: captured("`".repeat(5000) + noise(1_000_000, "out"), { truncated: true, bytes: 50_000_000 }),
  stderr: captured(noise(200_000, "err") + "~".repeat(3000), { truncated: true, bytes: 9_000_000 }),
  ms: 1234,
};

Deno.test("coderMessages() and sheriffMessages() stay within their budgets for huge inputs", async (t) => {
  const checks = Array.from({ length: 1000 }, (_, index) => check(`check-${index}`, false, noise(2000, "d")));
  const previous = attempt({
    draft: codeDraft("`".repeat(9000) + noise(100_000, "code")),
    exec: HUGE_EXEC,
    checks,
    sheriff: opinion("FAIL", noise(100_000, "analysis"), noise(100_000, "fix")),
    reasons: Array.from({ length: 1000 }, (_, index) => `reason ${index} ${noise(500, "r")}`),
  });
  await t.step("the Coder's retry", () => {
    const [system, task, reply, feedback] = coderMessages(HUGE_TASK, [previous]);
    assert.ok(system.content.length < 1000, `system ${system.content.length}`);
    assert.ok(task.content.length <= PROMPT_BUDGETS.task, `task ${task.content.length}`);
    const retry = reply.content.length + feedback.content.length;
    assert.ok(retry <= PROMPT_BUDGETS.coderFeedback, `reply and feedback ${retry}`);
    const total = [system, task, reply, feedback].reduce((sum, message) => sum + message.content.length, 0);
    assert.ok(total <= MAX_PROMPT_CHARS.coder, `coder prompt ${total}`);
    assert.match(feedback.content, /^Attempt 1 failed\. The program crashed \(exit code 1\)/);
    assert.match(feedback.content, /Change only what the fact above requires/);
    assert.match(reply.content, /# \[\.\.\. \d+ characters omitted \.\.\.\]/);
  });
  await t.step("the Sheriff's review", () => {
    const failures = checks.map((c) => `check ${c.name} failed: ${c.detail}`);
    const review: Review = {
      code: "`".repeat(9000) + noise(100_000, "code"),
      exec: HUGE_EXEC,
      checks,
      failures,
    };
    const user = sheriffMessages(HUGE_TASK, review)[1].content;
    assert.ok(user.length <= PROMPT_BUDGETS.sheriffUser, `sheriff ${user.length}`);
    assert.ok(user.length + SHERIFF_SYSTEM_PROMPT.length <= MAX_PROMPT_CHARS.sheriff);
    assert.match(user, /only its start and end were kept/);
    assert.match(user, /Reply now: first COMPARISON/);
    assert.match(user, /These facts already fail the program/);
    assert.match(user, /… and \d+ more/);
  });
  await t.step("a large but ordinary output is shown head and tail", async () => {
    const lines = Array.from({ length: 20_000 }, (_, index) => `line ${index}`).join("\n");
    const review: Review = { code: "print(1)\n", exec: exited(0, lines), checks: [] };
    const messages = sheriffMessages(FIZZ_TASK, review);
    const body = untrustedBody(messages[1].content, "stdout");
    assert.ok(body.startsWith("line 0\nline 1\n"));
    assert.ok(body.endsWith("line 19999"));
    assert.match(body, /\n\[\.\.\. \d+ characters omitted \.\.\.\]\n/);
    await assertGolden("sheriff_large_output.txt", renderMessages(messages));
  });
});
