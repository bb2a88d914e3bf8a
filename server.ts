/**
 * The model server's whole life: start or reuse, readiness, status, logs, stop; building llama-server;
 * the doctor's report. `mod.ts`'s `prepareRun` uses this for you; import it to manage servers yourself.
 *
 * ```ts
 * import { ensureServer } from "./server.ts";
 *
 * async function main() {
 *   await using server = await ensureServer({ engine: "llama.cpp", host: "127.0.0.1", port: 8080 });
 *   console.log(server.baseUrl, server.model);
 * }
 * ```
 *
 * @module
 */
export { ensureServer, startServer } from "./lib/server/lifecycle.ts";
export type {
  HealthCheck,
  LifecycleOptions,
  ServerHandle,
  ServerProgress,
  ServerSpec,
} from "./lib/server/lifecycle.ts";
export { serverStatus } from "./lib/server/server_status.ts";
export type { ServerQueryOptions, ServerStatus } from "./lib/server/server_status.ts";
export { stopServer } from "./lib/server/stop_server.ts";
export type { StopOptions, StopOutcome } from "./lib/server/stop_server.ts";
export { serverLogs } from "./lib/server/server_logs.ts";
export type { ServerLogsOptions } from "./lib/server/server_logs.ts";
export { ensureLlamaServer, llamaInfo } from "./lib/server/provision_llama.ts";
export type { EnsureLlamaOptions, LlamaInfo, ProvisionOptions } from "./lib/server/provision_llama.ts";
export type { ProvisionProgress, ProvisionStage, SourceOptions } from "./lib/server/llama_source.ts";
export type { LlamaBuildInfo, LlamaLocation } from "./lib/server/llama_cache.ts";
export type { LlamaPaths } from "./lib/server/paths.ts";
export { ensureTinyModel } from "./lib/server/tiny_model.ts";
export type { TinyModelOptions } from "./lib/server/tiny_model.ts";
export {
  AUTO_SPECULATIVE,
  describeSpeculation,
  DRAFT_DEFAULT,
  NGRAM_DEFAULT,
  NGRAM_TYPES,
  NO_SPECULATION,
  speculationArgs,
  speculativeModeFor,
} from "./lib/server/speculation.ts";
export type { DraftSettings, NgramSettings, NgramType, Speculation } from "./lib/server/speculation.ts";
export { doctor } from "./lib/server/doctor.ts";
export type { DoctorItem, DoctorOptions, DoctorReport, Presence } from "./lib/server/doctor.ts";
export type { Readiness, SlotInfo } from "./lib/server/engines/engine.ts";
export type { ExitStatus, ServerProcess, SpawnRequest, SpawnServer } from "./lib/server/process_group.ts";
export { probeServer } from "./lib/llm/probe.ts";
export type { ProbeOptions, ProbeResult } from "./lib/llm/probe.ts";
export type { EnvReader } from "./lib/host/cache_paths.ts";
export type { Which } from "./lib/host/find_tool.ts";
export type {
  CommandOptions,
  CommandResult,
  LoggedOptions,
  RunCommand,
  RunLogged,
} from "./lib/host/command.ts";
export { ensureMlxPython } from "./lib/server/provision_mlx.ts";
export type { ProvisionMlxOptions } from "./lib/server/provision_mlx.ts";
export { findMlxPython, MLX_PINS } from "./lib/server/mlx_venv.ts";
export type { FindMlxOptions, MlxLocation, MlxPaths, MlxVenvInfo } from "./lib/server/mlx_venv.ts";
export { ensureTinyMlxModel } from "./lib/server/tiny_mlx_model.ts";
export type { TinyMlxModelOptions } from "./lib/server/tiny_mlx_model.ts";
