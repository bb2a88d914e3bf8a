/**
 * The `examples` suite: the task files in `examples/`. Their checks are the visible checks, and the
 * same checks, run again on the final program in a fresh directory, are the ground truth (so for this
 * suite "hidden" only means: not shown in the `single` and `loop` arms).
 *
 * @module
 */
import { join } from "node:path";
import { loadTaskFile } from "../task/load.ts";
import type { BenchTask } from "./bench_task.ts";

/** Loads every `*.yaml` in `dir`, sorted by file name. The benchmark's limits replace `max_attempts`. */
export async function loadExampleTasks(dir = "examples"): Promise<BenchTask[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".yaml")) names.push(entry.name);
  }
  const tasks: BenchTask[] = [];
  for (const name of names.sort()) {
    const loaded = await loadTaskFile(join(dir, name), { derive: false });
    const { maxAttempts: _ignored, ...task } = loaded;
    tasks.push({
      suite: "examples",
      id: task.name,
      task: { ...task, checks: {} },
      plainPrompt: [task.description, ...task.constraints.map((c) => `- ${c}`)].join("\n"),
      exampleDescription: task.description,
      visibleChecks: loaded.checks,
      truth: { kind: "checks", checks: loaded.checks },
    });
  }
  return tasks;
}
