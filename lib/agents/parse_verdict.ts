/**
 * Reads the Sheriff's reply: its verdict line, its comparison and its fix request. Pure.
 *
 * @module
 */
import type { ModelReply, SheriffOpinion } from "../types.ts";

/** The verdict line once headings, emphasis and whitespace are removed. */
const VERDICT_LINE = /^VERDICT\s*:\s*(PASS|FAIL)$/i;

/** A section label line: `COMPARISON:`, `**FIX:**`, `## Analysis`, … with the text that follows it. */
const LABEL_LINE =
  /^\s*(?:#{1,6}\s*)?[*_]{0,2}\s*(COMPARISON|ANALYSIS|FIX|VERDICT)\s*[*_]{0,2}\s*(?::|$)\s*[*_]{0,2}\s*(.*)$/i;

/**
 * Parses a Sheriff reply into its verdict, its comparison (the analysis) and its fix request.
 *
 * The verdict is a line of its own that reads `VERDICT: PASS` or `VERDICT: FAIL`; only letter case,
 * whitespace, a heading prefix (`## `) and emphasis markers (`**`, `*`, `__`, `_`, backticks) are
 * tolerated. The Sheriff is asked to compare first, so the line may come after the comparison. When
 * several such lines appear, any FAIL makes the verdict FAIL: a `VERDICT: PASS` the program printed and
 * the reply quoted can never turn a FAIL into a PASS. A verdict inside a sentence or inside a fenced block
 * (quoted output) means nothing. No
 * verdict line at all is `unparsable`, which counts as FAIL, never PASS. `COMPARISON:` (or `ANALYSIS:`)
 * and `FIX:` sections run until the next label; a missing section is "".
 */
export function parseVerdict(reply: ModelReply): SheriffOpinion {
  const lines = reply.text.split(/\r?\n/);
  if (lines.every((line) => line.trim() === "")) {
    return { kind: "unparsable", error: "The reply is empty", reply };
  }
  const verdicts = outsideFences(lines).flatMap((line) => {
    const match = VERDICT_LINE.exec(stripMarkdown(line));
    return match ? [match[1].toUpperCase()] : [];
  });
  if (verdicts.length === 0) {
    const first = lines.find((line) => line.trim() !== "") ?? "";
    return {
      kind: "unparsable",
      error: `No line says "VERDICT: PASS" or "VERDICT: FAIL"; the reply starts ${quote(first.trim())}`,
      reply,
    };
  }
  const sections = readSections(lines);
  const verdict = verdicts.includes("FAIL") ? "FAIL" : "PASS";
  return { kind: "verdict", verdict, analysis: sections.analysis, fix: sections.fix, reply };
}

/** The lines that are not inside a fenced block (where the reply quotes output). */
function outsideFences(lines: readonly string[]): string[] {
  let fence: string | undefined;
  return lines.filter((line) => {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || (marker[0] === fence[0] && marker.length >= fence.length))) {
      fence = fence === undefined ? marker : undefined;
      return false;
    }
    return fence === undefined;
  });
}

/** Removes a heading prefix, emphasis markers and surrounding whitespace. */
function stripMarkdown(line: string): string {
  return line.trim().replace(/^#{1,6}\s+/, "").replaceAll(/\*\*|__|[*_`]/g, "").trim();
}

/** Collects the text under each label; the first occurrence of a label wins; COMPARISON is the analysis. */
function readSections(lines: readonly string[]): { analysis: string; fix: string } {
  const found = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of lines) {
    const label = LABEL_LINE.exec(line);
    if (label === null) {
      current?.push(line);
      continue;
    }
    const name = label[1].toUpperCase() === "COMPARISON" ? "ANALYSIS" : label[1].toUpperCase();
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
