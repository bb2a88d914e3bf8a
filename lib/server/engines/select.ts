/**
 * Choosing an engine: `auto` means mlx on Apple Silicon when `mlx_lm` imports, else llama.cpp.
 *
 * @module
 */

import { runCommand } from "../../host/command.ts";
import type { EngineChoice, EngineName } from "../../types.ts";
import type { EngineDriver } from "./engine.ts";
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
  /** Whether `python3 -c "import mlx_lm"` works. @default {runs it} */
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
  return await (options.canImportMlx ?? mlxImports)() ? "mlx" : "llama.cpp";
}

/** Whether `python3 -c "import mlx_lm"` succeeds. */
export async function mlxImports(python = "python3"): Promise<boolean> {
  const result = await runCommand(python, ["-c", "import mlx_lm"]);
  return result.kind === "exited" && result.code === 0;
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
