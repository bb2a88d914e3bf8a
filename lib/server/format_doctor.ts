/**
 * Turning a doctor report into lines for the terminal. Pure.
 *
 * @module
 */

import type { DoctorItem, DoctorReport } from "./doctor.ts";

/** The report as lines: one per item (`ok`, `missing`, `n/a`), then the fixes to run. */
export function formatDoctor(report: DoctorReport): string[] {
  const width = Math.max(...report.items.map((item) => item.name.length));
  const s = report.speculative;
  const speculative = s.kind === "mode" ? `speculative ${s.choice} = ${s.mode}` : `speculative: ${s.problem}`;
  const lines = [
    `factory doctor: ${report.os} ${report.arch}, engine auto = ${report.autoEngine}, ${speculative}`,
  ];
  for (const item of report.items) lines.push(itemLine(item, width));
  const fixes = report.items.flatMap((item) =>
    item.presence.kind === "missing" ? [`  ${item.presence.fix}   # ${item.name}: ${item.purpose}`] : []
  );
  if (fixes.length > 0) lines.push("", "To fix:", ...fixes);
  const blocking = report.items.filter((item) => item.required && item.presence.kind === "missing");
  lines.push(
    "",
    blocking.length === 0 ? "Ready to run models." : `Missing: ${blocking.map((i) => i.name).join(", ")}`,
  );
  return lines;
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
