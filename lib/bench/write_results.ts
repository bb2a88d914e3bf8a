/**
 * A benchmark's results directory: `results.jsonl` (written as the runs finish), then `results.md`,
 * `results.svg` and `meta.json` (the settings, so the reports can be rendered again from the data).
 *
 * @module
 */
import { join } from "node:path";
import { ConfigError } from "../errors.ts";
import { type ArmName, ARMS } from "./arms.ts";
import type { BenchMeta } from "./meta.ts";
import type { BenchRecord } from "./record.ts";
import { parseJsonLines } from "./jsonl.ts";
import { markdownReport } from "./markdown.ts";
import { svgReport } from "./svg.ts";
import { type ArmSummary, summarize } from "./summary.ts";
import { speedRatios, summarizeSpeed } from "./speed_summary.ts";
import { speedMarkdownReport } from "./speed_markdown.ts";
import { speedSvgReport } from "./speed_svg.ts";

/** The files of a benchmark's results directory. */
export const RESULT_FILES = {
  jsonl: "results.jsonl",
  markdown: "results.md",
  svg: "results.svg",
  meta: "meta.json",
} as const;

/**
 * Writes `results.md`, `results.svg` and `meta.json` into `dir`; returns the summaries and the markdown.
 * A `--speculative` run (its meta lists `speedArms`) gets the speed report and chart instead.
 */
export async function writeReports(
  dir: string,
  meta: BenchMeta,
  arms: readonly ArmName[],
  records: readonly BenchRecord[],
): Promise<{ summaries: ArmSummary[]; markdown: string }> {
  const summaries = summarize(arms, records);
  let markdown = markdownReport(meta, summaries, records);
  let svg = svgReport(meta, summaries);
  if (meta.speedArms) {
    const speed = summarizeSpeed(meta.speedArms.map((a) => a.label), records);
    markdown = speedMarkdownReport(meta, speed, speedRatios(speed, records), records);
    svg = speedSvgReport(meta, speed);
  }
  await Deno.writeTextFile(join(dir, RESULT_FILES.markdown), markdown);
  await Deno.writeTextFile(join(dir, RESULT_FILES.svg), svg);
  await Deno.writeTextFile(join(dir, RESULT_FILES.meta), JSON.stringify({ ...meta, arms }, null, 2) + "\n");
  return { summaries, markdown };
}

/**
 * Renders `results.md` and `results.svg` again from `results.jsonl` and `meta.json` in `dir` (after a
 * change to the writers). Throws a `ConfigError` when a file is missing or unreadable.
 */
export async function rewriteReports(dir: string): Promise<{ summaries: ArmSummary[]; markdown: string }> {
  const read = async (name: string) => {
    try {
      return await Deno.readTextFile(join(dir, name));
    } catch (error) {
      throw new ConfigError(`Cannot read ${join(dir, name)}: ${(error as Error).message}`, { cause: error });
    }
  };
  let stored: BenchMeta & { arms?: unknown };
  let records: BenchRecord[];
  try {
    stored = JSON.parse(await read(RESULT_FILES.meta));
    records = parseJsonLines(await read(RESULT_FILES.jsonl));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`Invalid benchmark results in ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const { arms, ...meta } = stored;
  const names = ARMS.map((a) => a.name).filter((name) => !Array.isArray(arms) || arms.includes(name));
  return await writeReports(dir, meta, names, records);
}
