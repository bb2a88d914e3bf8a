/**
 * Loading a suite and choosing its tasks. MBPP: the fixed sample of 100 by default, the quick subset of
 * 12 (`quick`), or every task (`all`); then at most `limit` of them.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import type { BenchTask, SuiteName } from "./bench_task.ts";
import { loadExampleTasks } from "./examples_suite.ts";
import { DEFAULT_MBPP_PATH, loadMbpp } from "./mbpp.ts";
import { mbppBenchTask } from "./mbpp_task.ts";
import { DEFAULT_QUICK_PATH, loadQuickSubset } from "./quick_subset.ts";
import { DEFAULT_SAMPLE_PATH, loadSample } from "./mbpp_sample.ts";

/** The suites' names. */
export const SUITES: readonly SuiteName[] = ["examples", "mbpp"];

/** Which tasks of a suite to run, and where the data is. */
export interface SuiteSelection {
  /** Every task instead of the sample. */
  all?: boolean;
  /** The quick subset of 12 instead of the sample of 100. */
  quick?: boolean;
  /** At most this many tasks, the first ones of the selection. */
  limit?: number;
  /** The MBPP data file. @default {DEFAULT_MBPP_PATH} */
  mbppPath?: string;
  /** The file listing the quick subset's task ids. @default {DEFAULT_QUICK_PATH} */
  quickPath?: string;
  /** The file listing the sample's task ids. @default {DEFAULT_SAMPLE_PATH} */
  samplePath?: string;
  /** The directory of example task files (`*.yaml`), for the `examples` suite. @default {"examples"} */
  examplesDir?: string;
}

/** Reads a suite's name. Throws a `ConfigError` for an unknown one. */
export function parseSuite(name: string | undefined): SuiteName {
  const suite = SUITES.find((s) => s === name);
  if (!suite) {
    throw new ConfigError(
      `bench: ${name ? `unknown suite: ${name}` : "no suite given"} (expected examples or mbpp)`,
    );
  }
  return suite;
}

/** The selected tasks of `suite`. */
export async function loadSuite(suite: SuiteName, selection: SuiteSelection = {}): Promise<BenchTask[]> {
  const tasks = suite === "examples"
    ? await loadExampleTasks(selection.examplesDir)
    : await mbppTasks(selection);
  return selection.limit === undefined ? tasks : tasks.slice(0, selection.limit);
}

async function mbppTasks(selection: SuiteSelection): Promise<BenchTask[]> {
  const records = await loadMbpp(selection.mbppPath ?? DEFAULT_MBPP_PATH);
  if (selection.all) return records.map(mbppBenchTask);
  const [label, ids] = selection.quick
    ? ["quick subset", (await loadQuickSubset(selection.quickPath ?? DEFAULT_QUICK_PATH)).taskIds]
    : ["sample", (await loadSample(selection.samplePath ?? DEFAULT_SAMPLE_PATH)).taskIds];
  const byId = new Map(records.map((r) => [r.taskId, r]));
  return ids.map((id) => {
    const record = byId.get(id);
    if (!record) throw new ConfigError(`MBPP ${label}: task ${id} is not in the data set`);
    return mbppBenchTask(record);
  });
}
