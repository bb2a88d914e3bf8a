/**
 * Choosing an engine: `auto` means mlx on Apple Silicon when a Python with mlx_lm is there (factory's
 * cached environment, or `python3` on PATH), else llama.cpp. Linux runs mlx only when asked for.
 *
 * @module
 */

import type { EngineChoice, EngineName } from "../../types.ts";
import type { EngineDriver } from "./engine.ts";
import { findMlxPython } from "../mlx_venv.ts";
import { llamaCpp } from "./llama_cpp.ts";
import { mlx } from "./mlx.ts";
import { ollama } from "./ollama.ts";
import { openai } from "./openai.ts";

/** Options of {@linkcode resolveEngine}. */
export interface ResolveEngineOptions {
  /** @default {Deno.build.os} */
  os?: string;
  /** @default {Deno.build.arch} */
  arch?: string;
  /** Whether a Python with mlx_lm is there. @default {factory's cached environment or python3 on PATH has it} */
  canImportMlx?: () => Promise<boolean>;
}

/** Resolves `auto` for this machine; other names pass through. */
export async function resolveEngine(
  choice: EngineChoice,
  options: ResolveEngineOptions = {},
): Promise<EngineName> {
  if (choice !== "auto") return choice;
  const os = options.os ?? Deno.build.os;
  const arch = options.arch ?? Deno.build.arch;
  if (os !== "darwin" || arch !== "aarch64") return "llama.cpp";
  return await (options.canImportMlx ?? mlxAvailable)() ? "mlx" : "llama.cpp";
}

/** Whether factory's cached mlx environment, or `python3` on PATH, has mlx_lm. */
export async function mlxAvailable(): Promise<boolean> {
  return (await findMlxPython()).kind === "found";
}

/** The engine implementation for a name. */
export function engineFor(name: EngineName): EngineDriver {
  switch (name) {
    case "llama.cpp":
      return llamaCpp;
    case "mlx":
      return mlx;
    case "ollama":
      return ollama;
    case "openai":
      return openai;
    default: {
      const unknown: never = name;
      throw new TypeError(`Unknown engine: ${unknown}`);
    }
  }
}
