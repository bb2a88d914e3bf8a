/**
 * The sandbox executor: the real `Executor` behind the loop, running programs and checks in the OS sandbox.
 *
 * @module
 */
import type { Executor } from "../types.ts";
import { type ExecOptions, execute } from "./execute.ts";
import { runChecks } from "./checks.ts";

/**
 * How the sandbox executor runs every program of a run: the `sandbox` mode (`auto`, `require`, `off`) and
 * the resource bounds. The loop adds the timeout and the signal per run.
 */
export type SandboxSettings = Omit<ExecOptions, "timeoutMs" | "signal">;

/**
 * The sandbox executor with fixed settings: each program, and its `test` check, runs under the same
 * sandbox mode and bounds.
 *
 * @example
 * ```ts
 * import { sandboxExecutor } from "../../mod.ts";
 *
 * async function main() {
 *   const executor = sandboxExecutor({ sandbox: "require", memoryMb: 256 });
 *   const dir = await Deno.makeTempDir();
 *   const result = await executor.execute({ language: "python", code: "print(1)", dir }, { timeoutMs: 5_000 });
 *   console.log(result.kind);
 * }
 * ```
 */
export function sandboxExecutor(settings: SandboxSettings = {}): Executor {
  return {
    execute: (program, options) => execute(program, { ...settings, ...options }),
    runChecks: (checks, result, context) => runChecks(checks, result, { ...settings, ...context }),
  };
}

/** The sandbox executor with `sandbox: auto`: the strongest OS sandbox here, scoped permissions, rlimits. */
export const defaultExecutor: Executor = sandboxExecutor();
