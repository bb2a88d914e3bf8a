/**
 * What runs a task, as plain data for the run's records: the model, the engine, the server's URL,
 * factory's version and the OS sandbox. Decided here, handed to `runTask` as its `provenance`.
 *
 * @module
 */
import type { RunProvenance, SandboxUsed } from "../types.ts";
import type { SandboxChoice } from "../sandbox/sandbox_mode.ts";
import denoJson from "../../deno.json" with { type: "json" };

/** factory's version, from `deno.json`. */
export const FACTORY_VERSION: string = denoJson.version;

/** The sandbox a choice runs programs in: `bubblewrap`, `sandbox-exec` or `none`. */
export function sandboxUsed(choice: SandboxChoice): SandboxUsed {
  if (choice.kind !== "isolated") return "none";
  return choice.isolation.kind === "bwrap" ? "bubblewrap" : "sandbox-exec";
}

/** The provenance of a run on `connection` with `sandbox`. */
export function provenanceOf(
  connection: { modelName: string; engine: string; baseUrl: string },
  sandbox: SandboxChoice,
): RunProvenance {
  return {
    model: connection.modelName,
    engine: connection.engine,
    serverUrl: connection.baseUrl,
    factoryVersion: FACTORY_VERSION,
    sandbox: sandboxUsed(sandbox),
  };
}
