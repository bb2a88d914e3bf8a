/**
 * The MLX test model: the tiny qwen2 GGUF (see `tiny_model.ts`) converted offline by
 * `tools/make_tiny_mlx_model.py` into a Hugging Face-style directory that `mlx_lm.server --model`
 * serves: `model.safetensors` (tensors under Qwen2's names, tied embeddings), `config.json`,
 * `tokenizer.json` (Qwen2's byte-level BPE rebuilt from the GGUF) and `tokenizer_config.json` (the
 * chat template and EOS token). About 50 MB, made in about a second; like the GGUF it answers
 * nonsense and practically never ends by itself.
 *
 * @module
 */

import { ServerError } from "../errors.ts";
import { type RunCommand, runCommand } from "../host/command.ts";
import { exists, type ProvisionProgress } from "./llama_source.ts";
import { cacheRoot, type EnvReader, realEnv } from "../host/cache_paths.ts";
import { join } from "node:path";
import { modelsDir } from "../models/model_paths.ts";
import { ensureMlxPython } from "./provision_mlx.ts";
import { ensureTinyModel } from "./tiny_model.ts";

/** The cached model directory's name. */
export const TINY_MLX_MODEL_DIR = "tiny-qwen2-mlx";

/** The files a finished conversion has; the directory is renamed into place only when all exist. */
export const TINY_MLX_MODEL_FILES = [
  "config.json",
  "model.safetensors",
  "tokenizer.json",
  "tokenizer_config.json",
] as const;

/** Options of {@linkcode ensureTinyMlxModel}. */
export interface TinyMlxModelOptions {
  /** The cache root the model is kept under. @default {cacheRoot()} */
  root?: string;
  /** The tiny GGUF to convert. @default {ensureTinyModel()} */
  gguf?: string;
  /** A Python with mlx and tokenizers. @default {ensureMlxPython(): the cached environment, made if absent} */
  python?: string;
  /** Aborting kills the running helper program; the promise then rejects. */
  signal?: AbortSignal;
  /** Receives a report when provisioning, converting, and when done. */
  onProgress?: (progress: ProvisionProgress) => void;
  /** Runs the converter (injectable for tests). @default {the real runCommand} */
  run?: RunCommand;
  /** Reads environment variables, such as those locating the cache root. @default {the real environment} */
  env?: EnvReader;
}

/** The path of the cached tiny MLX model directory (which may not exist yet). */
export function tinyMlxModelPath(root: string): string {
  return join(modelsDir(root), TINY_MLX_MODEL_DIR);
}

/** Returns the cached tiny MLX model directory, converting the tiny GGUF first when absent. */
export async function ensureTinyMlxModel(options: TinyMlxModelOptions = {}): Promise<string> {
  const root = options.root ?? cacheRoot(options.env ?? realEnv);
  const target = tinyMlxModelPath(root);
  if (await exists(join(target, "config.json"))) return target;
  const common = { root, signal: options.signal, onProgress: options.onProgress, env: options.env };
  const gguf = options.gguf ?? await ensureTinyModel(common);
  const python = options.python ?? await ensureMlxPython(common);
  await Deno.mkdir(modelsDir(root), { recursive: true });
  const temp = `${target}.${Deno.pid}.partial`;
  options.onProgress?.({ stage: "model", message: `converting ${gguf} to ${TINY_MLX_MODEL_DIR}` });
  try {
    const args = [scriptPath(), "--gguf", gguf, "--output", temp];
    const result = await (options.run ?? runCommand)(python, args, { signal: options.signal });
    if (result.kind === "not_found") {
      throw new ServerError(`Cannot make the tiny MLX model: ${python} is not installed`);
    }
    if (result.code !== 0) {
      const detail = result.stderr.trim().split("\n").at(-1) ?? `exit code ${result.code}`;
      throw new ServerError(`Cannot make the tiny MLX model: ${python} failed: ${detail}`);
    }
    for (const file of TINY_MLX_MODEL_FILES) {
      if (!await exists(join(temp, file))) {
        throw new ServerError(`Cannot make the tiny MLX model: the converter wrote no ${file}`);
      }
    }
    // Another process may have made it meanwhile: theirs is as good as ours.
    await Deno.rename(temp, target).catch(async (error) => {
      if (!await exists(join(target, "config.json"))) throw error;
    });
  } finally {
    await Deno.remove(temp, { recursive: true }).catch(() => {});
  }
  options.onProgress?.({ stage: "done", message: `made ${target}` });
  return target;
}

/** The path of `tools/make_tiny_mlx_model.py` next to this source tree. */
export function scriptPath(): string {
  const url = new URL("../../tools/make_tiny_mlx_model.py", import.meta.url);
  if (url.protocol !== "file:") {
    throw new ServerError(`Cannot make the tiny MLX model: ${url.href} is not a local file`);
  }
  return decodeURIComponent(url.pathname);
}
