/**
 * A run made by the real loop (scripted model, fake executor) whose program text, output, checks and
 * Sheriff reply are full of HTML: attempt 1 fails (the program prints a script tag, exits 1, a check
 * fails, the Sheriff says PASS and is overruled), attempt 2 passes.
 */
import { runTask } from "../../lib/orchestrator/run_task.ts";
import type { Executor } from "../../lib/types.ts";
import type { ExecResult, RunEvent, RunResult } from "../../lib/types.ts";
import { coderReply, scriptedModel, sheriffReply } from "../_fakes.ts";
import { pyTask, testLimits } from "../_helpers.ts";

/** Text that must never reach HTML unescaped. */
export const HOSTILE = `<script>alert("pwned")</script>`;
/** Another: an element with an event handler. */
export const HOSTILE_IMG = `<img src=x onerror=alert(1)>`;

export const BAD_PROGRAM = `print('${HOSTILE}')\nimport sys\nsys.stderr.write("${HOSTILE_IMG}")\nsys.exit(1)`;
export const GOOD_PROGRAM = `# prints the numbers\nfor i in range(3):\n    print(i)`;

const captured = (text: string, truncated = false) => ({
  text,
  bytes: new TextEncoder().encode(text).length + (truncated ? 70_000 : 0),
  truncated,
});

/** An executor answering from a script: the bad program fails loudly, the good one prints 0 1 2. */
export function fakeExecutor(): Executor {
  return {
    execute(program): Promise<ExecResult> {
      if (program.code.includes("sys.exit(1)")) {
        return Promise.resolve({
          kind: "exited",
          code: 1,
          ms: 42,
          stdout: captured(`${HOSTILE}\n[… 70000 bytes cut …]\nend`, true),
          stderr: captured(HOSTILE_IMG),
        });
      }
      return Promise.resolve({
        kind: "exited",
        code: 0,
        ms: 17,
        stdout: captured("0\n1\n2\n"),
        stderr: captured(""),
      });
    },
    runChecks(_checks, result) {
      const out = result.kind === "refused" ? "" : result.stdout.text;
      const passed = out.includes("2");
      return Promise.resolve([{
        name: "stdout_contains",
        passed,
        detail: passed ? "found 2" : `missing 2 in ${out}`,
      }]);
    },
  };
}

/** Runs the hostile task into `outDir`, collecting every event. */
export async function hostileRun(outDir: string): Promise<{ result: RunResult; events: RunEvent[] }> {
  const model = scriptedModel([
    coderReply(BAD_PROGRAM),
    sheriffReply("PASS", `It printed ${HOSTILE} as asked.`, `Nothing; maybe add </pre>${HOSTILE_IMG}`),
    coderReply(GOOD_PROGRAM),
    sheriffReply("PASS", "Prints 0, 1 and 2.", "none"),
  ]);
  const events: RunEvent[] = [];
  const task = pyTask({
    name: "hostile",
    description: `Print 0 1 2. Also: ${HOSTILE}`,
    checks: { stdoutContains: ["2"] },
  });
  const result = await runTask(task, {
    model,
    limits: testLimits(),
    outDir,
    executor: fakeExecutor(),
    emit: (e) => void events.push(e),
  });
  return { result, events };
}

/** The escaped forms that must appear instead. */
export const ESCAPED = "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;";
export const ESCAPED_IMG = "&lt;img src=x onerror=alert(1)&gt;";
