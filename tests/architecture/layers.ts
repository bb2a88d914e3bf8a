/**
 * The layers of lib/ and what each may import, read by the layering test and described in
 * docs/architecture.md. Imports only point down; folders at the same level do not know each other.
 */

/** The parts: they may import only lib/host/ (and the root), never each other. */
const PARTS = ["agents", "sandbox", "llm", "store", "render", "models"] as const;

/** Everything below lib/setup/. */
const BELOW_SETUP = ["orchestrator", "server", ...PARTS, "task", "config", "host"];

/** Each folder of lib/ and the folders it may import (besides itself and lib/types.ts, lib/errors.ts). */
export const MAY_IMPORT: Record<string, readonly string[]> = {
  cli: ["bench", "setup", ...BELOW_SETUP],
  testing: ["orchestrator", ...PARTS.filter((p) => p !== "models"), "task", "config", "host"],
  bench: ["setup", ...BELOW_SETUP],
  setup: BELOW_SETUP,
  orchestrator: ["agents", "sandbox", "llm", "store", "host"],
  server: ["sandbox", "models", "host"],
  ...Object.fromEntries(PARTS.map((part) => [part, ["host"]])),
  // The prompts describe tasks: their examples, derived checks and expectations.
  agents: ["task", "host"],
  task: ["config", "host"],
  config: ["host"],
  host: [],
  // lib/types.ts and lib/errors.ts (the root) import nothing of lib/.
  ".": [],
};

/** One import of one file: `from` and `to` are paths relative to the repository root. */
export interface ImportEdge {
  from: string;
  to: string;
}

/** The folder of lib/ a path belongs to (`lib/server/engines/x.ts` → `server`; `lib/types.ts` → `.`). */
export function layerOf(path: string): string | undefined {
  const parts = path.split("/");
  if (parts[0] !== "lib") return undefined;
  return parts.length === 2 ? "." : parts[1];
}

/** The imports that break the rules: up a layer, or across between folders that must not know each other. */
export function violations(edges: readonly ImportEdge[], rules = MAY_IMPORT): string[] {
  const found: string[] = [];
  for (const { from, to } of edges) {
    const source = layerOf(from);
    const target = layerOf(to);
    if (source === undefined || target === undefined || source === target) continue;
    if (target === "." && /^lib\/(types|errors)\.ts$/.test(to)) continue;
    const allowed = rules[source];
    if (allowed === undefined) {
      found.push(`${from}: lib/${source}/ is not a known layer (add it to MAY_IMPORT)`);
    } else if (!allowed.includes(target)) {
      found.push(`${from} imports ${to}: lib/${source}/ may not import lib/${target}/`);
    }
  }
  return found;
}
