/**
 * A run made by the real loop (scripted model, fake executor) whose program text, output, checks and
 * Sheriff reply are full of HTML: attempt 1 fails (the program prints a script tag, exits 1, a check
 * fails, the Sheriff says PASS and is overruled), attempt 2 passes.
 */
import { runTask } from "../../lib/orchestrator/run_task.ts";
import type { Executor } from "../../lib/types.ts";
import type { RunEvent, RunResult } from "../../lib/types.ts";
import { captured, coderReply, fakeExecutor, type FakeRun, scriptedModel, sheriffReply } from "../_fakes.ts";
import { pyTask, testLimits } from "../_helpers.ts";

/** Text that must never reach HTML unescaped. */
export const HOSTILE = `<script>alert("pwned")</script>`;
/** Another: an element with an event handler. */
export const HOSTILE_IMG = `<img src=x onerror=alert(1)>`;

export const BAD_PROGRAM = `print('${HOSTILE}')\nimport sys\nsys.stderr.write("${HOSTILE_IMG}")\nsys.exit(1)`;
export const GOOD_PROGRAM = `# prints the numbers\nfor i in range(3):\n    print(i)`;

/**
 * The shared fake executor: the bad program fails loudly (a cut stdout), the good one prints 0 1 2; the
 * check's detail quotes the program's output, HTML and all.
 */
export function hostileExecutor(): Executor {
  const executor = fakeExecutor(({ code }): FakeRun => {
    if (!code.includes("sys.exit(1)")) return { stdout: "0\n1\n2\n", ms: 17 };
    const stdout = `${HOSTILE}\n[… 70000 bytes cut …]\nend`;
    return {
      kind: "exited",
      code: 1,
      ms: 42,
      stdout: captured(stdout, { truncated: true, bytes: new TextEncoder().encode(stdout).length + 70_000 }),
      stderr: captured(HOSTILE_IMG),
    };
  });
  return {
    execute: executor.execute,
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
    executor: hostileExecutor(),
    emit: (e) => void events.push(e),
  });
  return { result, events };
}

/** The escaped forms that must appear instead. */
export const ESCAPED = "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;";
export const ESCAPED_IMG = "&lt;img src=x onerror=alert(1)&gt;";
