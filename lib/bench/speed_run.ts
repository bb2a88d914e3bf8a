/**
 * A `--speculative` benchmark: the same tasks in the same loop arm, once per speed arm, each on a
 * server started for it with that speculative decoding (and stopped after it), same model and settings.
 *
 * @module
 */
import { join } from "node:path";
import type { Config } from "../config/schema.ts";
import { type Connect, type Connection, connectModel, type ConnectOptions } from "../setup/connect_model.ts";
import type { RunProvenance } from "../types.ts";
import { describeSpeculation } from "../server/speculation.ts";
import { type BenchOptions, type BenchOutcome, runBench } from "./run_bench.ts";
import type { SpeedArm } from "./speed_arms.ts";

/** Options of {@linkcode runSpeedBench}. */
export interface SpeedBenchOptions
  extends Omit<BenchOptions, "model" | "modelFor" | "modelName" | "speculative" | "provenance"> {
  /** The speed arms, run in this order. */
  speedArms: readonly SpeedArm[];
  /** The server config; each arm replaces `server.speculative`. */
  config: Config;
  /** How to start each arm's server (the CLI's progress lines, its default model). */
  connect: Omit<ConnectOptions, "noServer" | "speculationTuning" | "parallel" | "signal">;
  /** Called when an arm's server is ready, before its runs. */
  onArm?: (arm: SpeedArm, connection: Connection) => void | Promise<void>;
  /** Starts (or finds) each arm's server. @default {connectModel} */
  connectModel?: Connect;
  /** What runs each arm's tasks, recorded in every run's directory. @default none recorded */
  provenance?: (connection: Connection) => Promise<RunProvenance>;
}

/** What a speed benchmark produced: the records of every arm, and what each arm's server ran. */
export interface SpeedBenchOutcome extends BenchOutcome {
  /** Each speed arm run, in order, with the speculation its server ran (in words). */
  speedArms: { label: string; speculation: string }[];
}

/**
 * Runs every speed arm in turn. A server already running on the port is reused only when it runs the
 * arm's speculation (else a `ServerError` says to stop it). Stops after an interrupted arm.
 */
export async function runSpeedBench(options: SpeedBenchOptions): Promise<SpeedBenchOutcome> {
  const { speedArms, config, connect, onArm, connectModel: connectTo = connectModel, provenance, ...bench } =
    options;
  const concurrency = bench.concurrency ?? 1;
  const outcome: SpeedBenchOutcome = { records: [], coderPrompts: [], interrupted: false, speedArms: [] };
  for (const arm of speedArms) {
    const armConfig: Config = { ...config, server: { ...config.server, speculative: arm.mode } };
    await using connection = await connectTo(armConfig, {
      ...connect,
      noServer: false,
      signal: bench.signal,
      speculationTuning: arm.tuning,
      ...(concurrency > 1 ? { parallel: 2 * concurrency } : {}),
    });
    const speculation = connection.speculation ? describeSpeculation(connection.speculation) : arm.mode;
    outcome.speedArms.push({ label: arm.label, speculation });
    await onArm?.(arm, connection);
    const armOutcome = await runBench({
      ...bench,
      model: connection.model,
      modelFor: (worker) => connection.modelForPair?.(worker) ?? connection.model,
      modelName: connection.modelName.split("/").at(-1) ?? connection.modelName,
      speculative: arm.label,
      ...(provenance ? { provenance: await provenance(connection) } : {}),
      runsDir: join(bench.runsDir, arm.label.replace(/[^A-Za-z0-9.=-]+/g, "_")),
    });
    outcome.records.push(...armOutcome.records);
    if (outcome.coderPrompts.length === 0) outcome.coderPrompts = armOutcome.coderPrompts;
    if (armOutcome.interrupted) {
      outcome.interrupted = true;
      break;
    }
  }
  return outcome;
}
