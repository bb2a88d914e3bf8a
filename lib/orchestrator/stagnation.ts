/**
 * Stagnation: the loop is going nowhere when the same normalised error signature, or the same script,
 * comes back `threshold` times in a row.
 *
 * @module
 */
import type { Attempt, ExecResult } from "../types.ts";

/** Strips what changes between otherwise identical failures: line numbers, addresses, paths, times. */
export function normaliseError(text: string): string {
  return text
    .replace(/\/(?:tmp|var|private|run|root|home|work)[^\s"':]*/g, "<path>")
    .replace(/[A-Z]:\\[^\s"':]*/g, "<path>")
    .replace(/0x[0-9a-f]+/gi, "<addr>")
    .replace(/\bline \d+/gi, "line <n>")
    .replace(/:\d+(:\d+)?/g, ":<n>")
    .replace(/\d+(\.\d+)?\s*(ms|s|seconds)\b/g, "<time>")
    .replace(/[ \t]+/g, " ")
    .trim();
}

/** The last few non-empty lines of a text: where tracebacks keep the error itself. */
function tail(text: string, lines: number): string {
  return text.split("\n").filter((line) => line.trim() !== "").slice(-lines).join("\n");
}

/**
 * A failed attempt's error signature: what went wrong with the details that vary stripped.
 * Undefined for an attempt that passed.
 */
export function errorSignature(
  attempt: Pick<Attempt, "draft" | "exec" | "checks" | "verdict">,
): string | undefined {
  if (attempt.verdict.passed) return undefined;
  if (attempt.draft.kind !== "code") return `draft:${attempt.draft.kind}`;
  const exec = attempt.exec;
  const failed = attempt.checks.filter((c) => !c.passed).map((c) => c.name);
  return [execSignature(exec), failed.length ? `checks:${failed.join(",")}` : ""].filter(Boolean).join("\n");
}

function execSignature(exec: ExecResult | undefined): string {
  if (!exec) return "not-run";
  switch (exec.kind) {
    case "exited":
      return exec.code === 0 ? "exit:0" : `exit:${exec.code}\n${normaliseError(tail(exec.stderr.text, 3))}`;
    case "timed_out":
      return "timed-out";
    case "interrupted":
      return "interrupted";
    case "refused":
      return `refused:${exec.reason}`;
    default: {
      const never: never = exec;
      return never;
    }
  }
}

/** Why the run is stagnant (the last `threshold` attempts share one error signature or one script); undefined when it is not. */
export function stagnationReason(attempts: readonly Attempt[], threshold: number): string | undefined {
  if (attempts.length < threshold) return undefined;
  const recent = attempts.slice(-threshold);
  const signatures = recent.map((a) => a.signature);
  if (signatures[0] !== undefined && signatures.every((s) => s === signatures[0])) {
    return `the same error ${threshold} times in a row`;
  }
  const scripts = recent.map((a) => (a.draft.kind === "code" ? a.draft.code.trim() : undefined));
  if (scripts[0] !== undefined && scripts.every((s) => s === scripts[0])) {
    return `the same script ${threshold} times in a row`;
  }
  return undefined;
}
