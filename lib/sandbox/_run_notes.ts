/**
 * factory's notes on a run, from what its control group and the copy out of its work dir found. Private to
 * the sandbox folder. Pure.
 *
 * @module
 */

import type { RunNote } from "../types.ts";
import type { CopyReport } from "./copy_tree.ts";
import { mib } from "./rlimits.ts";
import type { GroupUsage } from "./run_group.ts";

/** What the copy out of the tmpfs says about the work dir: a cap reached, entries that could not be kept. */
export function workDirNotes(
  report: CopyReport,
  caps: { quotaBytes: number; maxEntries: number },
): RunNote[] {
  const notes: RunNote[] = [];
  if (report.bytes >= caps.quotaBytes - 64 * 1024) {
    notes.push({
      kind: "work_dir",
      text: `its work dir reached the disk quota of ${mib(caps.quotaBytes)}: writes past it failed`,
    });
  }
  if (report.entries + report.unreachable + report.special + report.changed >= caps.maxEntries) {
    notes.push({ kind: "work_dir", text: `its work dir reached its cap of ${caps.maxEntries} entries` });
  }
  const lost = report.unreachable + report.changed;
  if (lost > 0) {
    notes.push({
      kind: "work_dir",
      text:
        `its work dir held ${lost} entries (with all under them) that cannot be measured or kept (a name ` +
        "that is not UTF-8, a path longer than PATH_MAX): a limit breach; they were dropped",
    });
  }
  if (report.special > 0) {
    notes.push({
      kind: "work_dir",
      text: `${report.special} fifos, sockets or devices in its work dir were not kept`,
    });
  }
  return notes;
}

/** What the control group says: OOM kills, forks refused at the task limit, members that would not die. */
export function groupNotes(
  usage: GroupUsage,
  empty: boolean,
  limits: { memoryBytes: number; maxTasks: number },
): RunNote[] {
  const notes: RunNote[] = [];
  if (usage.oomKills > 0) {
    notes.push({
      kind: "limit",
      text: `the kernel ended ${usage.oomKills} of its processes: the run reached its memory limit of ` +
        mib(limits.memoryBytes),
    });
  }
  if (usage.taskLimitHits > 0) {
    notes.push({
      kind: "limit",
      text:
        `it reached its limit of ${limits.maxTasks} processes and threads: ${usage.taskLimitHits} forks failed`,
    });
  }
  if (!empty) notes.push({ kind: "limit", text: "processes of its control group could not be killed" });
  return notes;
}
