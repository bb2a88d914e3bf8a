/**
 * `deno task bench:sandbox [runs]`: how long the sandbox takes to start and end a program run. Runs a
 * program that does nothing (Python `pass`, an empty TypeScript file) through the real `execute()`
 * with `sandbox: auto`, `runs` times each (default 15, after one warm-up), and prints the median, the
 * fastest and the slowest wall time of a whole run (write, contain, start, kill, clean up) as JSON.
 * Compare two checkouts by running it in each on a quiet machine.
 *
 * @module
 */
import { execute } from "../lib/sandbox/execute.ts";

/** The wall times of one language's runs, in milliseconds. */
export interface StartTimes {
  language: "python" | "typescript";
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

/** Runs the empty program of `language` `runs` times (after one warm-up) and times each run. */
export async function measureStart(language: "python" | "typescript", runs: number): Promise<StartTimes> {
  const code = language === "python" ? "pass\n" : "\n";
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const dir = await Deno.makeTempDir({ dir: "/var/tmp", prefix: "factory-bench-start-" });
    try {
      const started = performance.now();
      const result = await execute({ language, code, dir }, { timeoutMs: 30_000 });
      const ms = performance.now() - started;
      if (result.kind !== "exited" || result.code !== 0) {
        throw new Error(`The empty ${language} program did not exit 0: ${JSON.stringify(result)}`);
      }
      if (i > 0) times.push(ms);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
  times.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    language,
    runs,
    medianMs: round(times[Math.floor(times.length / 2)]),
    minMs: round(times[0]),
    maxMs: round(times.at(-1)!),
  };
}

if (import.meta.main) {
  const runs = Number(Deno.args[0] ?? 15);
  const results = [];
  for (const language of ["python", "typescript"] as const) results.push(await measureStart(language, runs));
  console.log(JSON.stringify(results));
}
