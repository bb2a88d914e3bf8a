/**
 * Provisions what the test suite needs, once per machine: llama-server (found, or built from the
 * llama.cpp tree node-llama-cpp ships, about 6 minutes on 2 cores) and the tiny test model.
 * Prints one line per progress step. Used by `.ci/run`:
 *
 *     deno run -A tools/provision.ts            # llama-server + tiny model
 *     deno run -A tools/provision.ts --no-model # llama-server only
 *
 * @module
 */

import type { ProvisionProgress } from "../lib/server/llama_source.ts";
import { ensureLlamaServer } from "../lib/server/provision_llama.ts";
import { ensureTinyModel } from "../lib/server/tiny_model.ts";

/** Prints progress, one line per stage change or new build percentage. */
function printer(): (progress: ProvisionProgress) => void {
  let last = "";
  return (progress) => {
    const key = `${progress.stage} ${progress.percent ?? ""}`;
    if (key === last) return;
    last = key;
    const percent = progress.percent === undefined ? "" : ` ${String(progress.percent).padStart(3)}%`;
    console.log(`[${progress.stage}${percent}] ${progress.message}`);
  };
}

async function main(args: string[]): Promise<number> {
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error("interrupted"));
  Deno.addSignalListener("SIGINT", onSignal);
  const started = Date.now();
  try {
    const onProgress = printer();
    const binary = await ensureLlamaServer({ signal: controller.signal, onProgress });
    console.log(`llama-server: ${binary}`);
    if (!args.includes("--no-model")) {
      const model = await ensureTinyModel({ signal: controller.signal, onProgress });
      console.log(`tiny model: ${model}`);
    }
    console.log(`provisioned in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    return controller.signal.aborted ? 130 : 1;
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
