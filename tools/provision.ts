/**
 * Provisions what the test suite needs, once per machine: llama-server (found, or built from the
 * llama.cpp tree node-llama-cpp ships, about 6 minutes on 2 cores), the tiny test model, the mlx
 * engine's Python (a virtual environment with pinned mlx and mlx-lm, about 30 s) and the tiny MLX
 * model converted from the tiny GGUF. Prints one line per progress step. Run by `deno task test`:
 *
 *     deno run -A tools/provision.ts            # everything
 *     deno run -A tools/provision.ts --no-model # llama-server and the mlx environment only
 *     deno run -A tools/provision.ts --no-mlx   # llama-server and the tiny GGUF only
 *
 * @module
 */

import type { ProvisionProgress } from "../lib/server/llama_source.ts";
import { ensureLlamaServer } from "../lib/server/provision_llama.ts";
import { ensureMlxPython } from "../lib/server/provision_mlx.ts";
import { ensureTinyMlxModel } from "../lib/server/tiny_mlx_model.ts";
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

/** Runs one step and prints its result and how long it took. */
async function timed(name: string, step: () => Promise<string>): Promise<string> {
  const started = Date.now();
  const result = await step();
  console.log(`${name}: ${result} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result;
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
    const signal = controller.signal;
    const gguf = args.includes("--no-model") ? undefined : await ensureTinyModel({ signal, onProgress });
    if (gguf) console.log(`tiny model: ${gguf}`);
    if (!args.includes("--no-mlx")) {
      // The tests use factory's own pinned environment, never a python3 that happens to have mlx_lm.
      const python = await timed(
        "mlx python",
        () => ensureMlxPython({ searchPath: false, signal, onProgress }),
      );
      if (gguf) await timed("tiny MLX model", () => ensureTinyMlxModel({ gguf, python, signal, onProgress }));
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
