/**
 * Turning a doctor report into lines for the terminal. Pure.
 *
 * @module
 */

import type { DoctorItem, DoctorReport } from "./doctor.ts";

/**
 * The report as lines: what a run would use, one line per item (`ok`, `missing`, `n/a`), then each fix
 * once (items sharing a fix are named together), then the verdict.
 */
export function formatDoctor(report: DoctorReport): string[] {
  const width = Math.max(...report.items.map((item) => item.name.length));
  const uses = report.uses.kind === "server"
    ? `the model server at ${report.uses.baseUrl}`
    : `engine ${report.uses.engine}`;
  const s = report.speculative;
  const speculative = s.kind === "mode" ? `speculative ${s.choice} = ${s.mode}` : `speculative: ${s.problem}`;
  const lines = [
    `factory doctor: ${report.os} ${report.arch}, engine auto = ${report.autoEngine}; runs use ${uses}, ${speculative}`,
  ];
  for (const item of report.items) lines.push(itemLine(item, width));
  const fixes = new Map<string, DoctorItem[]>();
  for (const item of report.items) {
    if (item.presence.kind === "missing") {
      fixes.set(item.presence.fix, [...fixes.get(item.presence.fix) ?? [], item]);
    }
  }
  if (fixes.size > 0) {
    lines.push("", "To fix:");
    for (const [fix, items] of fixes) lines.push(`  ${fix}   # ${items.map(forWhat).join("; ")}`);
  }
  const blocking = report.items.filter((item) => item.required && item.presence.kind === "missing");
  lines.push(
    "",
    blocking.length === 0 ? "Ready to run models." : `Missing: ${blocking.map((i) => i.name).join(", ")}`,
  );
  return lines;
}

function forWhat(item: DoctorItem): string {
  return `${item.name}: ${item.purpose}`;
}

function itemLine(item: DoctorItem, width: number): string {
  const name = item.name.padEnd(width);
  switch (item.presence.kind) {
    case "found":
      return `  ok       ${name}  ${item.presence.detail}`;
    case "missing":
      return `  missing  ${name}  ${item.presence.detail} (for ${item.purpose})`;
    case "not_applicable":
      return `  n/a      ${name}  ${item.presence.reason}`;
    default: {
      const never: never = item.presence;
      throw new TypeError(`Unknown presence: ${JSON.stringify(never)}`);
    }
  }
}
