/**
 * Running untrusted programs: one program in the OS sandbox (bubblewrap on Linux, sandbox-exec on
 * macOS), a task's checks against its run, and what isolation this machine offers.
 *
 * ```ts
 * import { execute } from "./sandbox.ts";
 *
 * async function main() {
 *   const dir = await Deno.makeTempDir();
 *   const result = await execute({ language: "python", code: "print(6 * 7)", dir }, { timeoutMs: 10_000 });
 *   if (result.kind === "exited") console.log(result.code, result.stdout.text);
 * }
 * ```
 *
 * @module
 */
export { execute, executeFile } from "./lib/sandbox/execute.ts";
export type { ExecOptions, Program } from "./lib/sandbox/execute.ts";
export { runChecks } from "./lib/sandbox/checks.ts";
export type { CheckContext } from "./lib/sandbox/checks.ts";
export { detectIsolation, resolveSandbox } from "./lib/sandbox/sandbox_mode.ts";
export type {
  DetectOptions,
  Isolation,
  ResolveSandboxOptions,
  SandboxChoice,
} from "./lib/sandbox/sandbox_mode.ts";
export { defaultExecutor, sandboxExecutor } from "./lib/sandbox/sandbox_executor.ts";
export type { SandboxSettings } from "./lib/sandbox/sandbox_executor.ts";
export { describeCgroups, detectCgroups } from "./lib/sandbox/cgroup.ts";
export type { CgroupDetectOptions, CgroupSupport } from "./lib/sandbox/cgroup.ts";
