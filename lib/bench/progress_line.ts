/**
 * The one line printed as each benchmark run finishes. Pure.
 *
 * @module
 */
import type { BenchRecord } from "./record.ts";
import { duration } from "./format.ts";

/** `[3/36] mbpp 82 loop: pass, 2 attempts, claimed pass, 34.2 s (prefill 4.1 s, decode 20.3 s, ...)`. */
export function progressLine(done: number, total: number, record: BenchRecord): string {
  const verdict = record.passed ? "pass" : "FAIL";
  const claim = record.arm === "raw"
    ? (record.status === "error" ? "model error" : "asked once")
    : record.claimed
    ? "claimed pass"
    : `stopped: ${record.stopReason}`;
  const split = `prefill ${duration(record.prefillMs)}, decode ${duration(record.decodeMs)}, ` +
    `model wait ${duration(record.waitMs)}, programs ${duration(record.execMs)}, overhead ${
      duration(record.overheadMs)
    }`;
  const arm = record.speculative === undefined ? record.arm : `${record.arm} · ${record.speculative}`;
  return `[${done}/${total}] ${record.suite} ${record.taskId} ${arm}: ${verdict}, ` +
    `${record.attempts} attempt${record.attempts === 1 ? "" : "s"}, ${claim}, ${
      duration(record.wallMs)
    } (${split})\n`;
}
