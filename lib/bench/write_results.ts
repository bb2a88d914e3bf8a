/**
 * Writes a benchmark's report files next to its `results.jsonl`: `results.md` and `results.svg`.
 *
 * @module
 */
import { join } from "node:path";
import type { ArmName } from "./arms.ts";
import type { BenchMeta } from "./meta.ts";
import type { BenchRecord } from "./record.ts";
import { markdownReport } from "./markdown.ts";
import { svgReport } from "./svg.ts";
import { type ArmSummary, summarize } from "./summary.ts";

/** The files of a benchmark's results directory. */
export const RESULT_FILES = { jsonl: "results.jsonl", markdown: "results.md", svg: "results.svg" } as const;

/** Writes `results.md` and `results.svg` into `dir`; returns the summaries and the markdown text. */
export async function writeReports(
  dir: string,
  meta: BenchMeta,
  arms: readonly ArmName[],
  records: readonly BenchRecord[],
): Promise<{ summaries: ArmSummary[]; markdown: string }> {
  const summaries = summarize(arms, records);
  const markdown = markdownReport(meta, summaries, records);
  await Deno.writeTextFile(join(dir, RESULT_FILES.markdown), markdown);
  await Deno.writeTextFile(join(dir, RESULT_FILES.svg), svgReport(meta, summaries));
  return { summaries, markdown };
}
