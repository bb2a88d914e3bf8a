/**
 * Reads the Sheriff's reply. Strict: the verdict is the first non-empty line or nothing. Pure.
 *
 * @module
 */
import type { ModelReply, SheriffOpinion } from "../types.ts";

/** The verdict line once headings, emphasis and whitespace are removed. */
const VERDICT_LINE = /^VERDICT\s*:\s*(PASS|FAIL)$/i;

/** A section label line: `ANALYSIS:`, `**FIX:**`, `## Analysis`, … with the text that follows it. */
const LABEL_LINE =
  /^\s*(?:#{1,6}\s*)?[*_]{0,2}\s*(ANALYSIS|FIX|VERDICT)\s*[*_]{0,2}\s*(?::|$)\s*[*_]{0,2}\s*(.*)$/i;

/**
 * Parses a Sheriff reply into its verdict, analysis and fix request.
 *
 * The first non-empty line must be `VERDICT: PASS` or `VERDICT: FAIL`; only letter case, whitespace, a
 * heading prefix (`## `) and emphasis markers (`**`, `*`, `__`, `_`, backticks) are tolerated. Anything
 * else is `unparsable`, never PASS; a verdict appearing later in the text does not count. `ANALYSIS:` and
 * `FIX:` sections run until the next label; a missing section is "". A reply cut off at the token limit
 * still has its verdict, since the verdict is its first line.
 */
export function parseVerdict(reply: ModelReply): SheriffOpinion {
  const lines = reply.text.split(/\r?\n/);
  const first = lines.findIndex((line) => line.trim() !== "");
  if (first < 0) return { kind: "unparsable", error: "The reply is empty", reply };
  const match = VERDICT_LINE.exec(stripMarkdown(lines[first]));
  if (match === null) {
    return {
      kind: "unparsable",
      error: `The first line is not "VERDICT: PASS" or "VERDICT: FAIL": ${quote(lines[first].trim())}`,
      reply,
    };
  }
  const sections = readSections(lines.slice(first + 1));
  const verdict = match[1].toUpperCase() === "PASS" ? "PASS" : "FAIL";
  return { kind: "verdict", verdict, analysis: sections.analysis, fix: sections.fix, reply };
}

/** Removes a heading prefix, emphasis markers and surrounding whitespace. */
function stripMarkdown(line: string): string {
  return line.trim().replace(/^#{1,6}\s+/, "").replaceAll(/\*\*|__|[*_`]/g, "").trim();
}

/** Collects the text under each label; the first occurrence of a label wins. */
function readSections(lines: readonly string[]): { analysis: string; fix: string } {
  const found = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of lines) {
    const label = LABEL_LINE.exec(line);
    if (label === null) {
      current?.push(line);
      continue;
    }
    const name = label[1].toUpperCase();
    current = found.has(name) || name === "VERDICT" ? undefined : [label[2]];
    if (current) found.set(name, current);
  }
  return { analysis: sectionText(found.get("ANALYSIS")), fix: sectionText(found.get("FIX")) };
}

function sectionText(lines: string[] | undefined): string {
  if (lines === undefined) return "";
  return lines.join("\n").replace(/[*_]{1,2}\s*$/, "").trim();
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
