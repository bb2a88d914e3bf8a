/**
 * Test tiers. `deno task test` runs every test, against the real engine, model and sandbox.
 * `deno task test:fast` sets `FACTORY_TEST_TIER=fast` and runs the same files, with every test that
 * needs something built, downloaded or installed ignored: what is left runs against the fakes of
 * `_fakes.ts` and needs nothing but Deno.
 *
 * A file whose tests need more than Deno says so once, and passes the result to each such test:
 *
 * ```ts
 * const SANDBOX = requires("sandbox", "python3");
 * Deno.test("execute() kills a grandchild", SANDBOX, async () => {...});
 * ```
 *
 * @module
 */
import { relative } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * What a test may need beyond Deno: the engines and models that `deno task test` provisions (`mlx` is
 * the mlx_lm Python environment), programs installed on the machine, or `sandbox`: running programs for
 * real through the OS sandbox (bubblewrap or prlimit, a process tree per program), which the fast tier
 * replaces with the fake executor; or `deno check`: a second type-check of the whole library in a
 * subprocess (20 s on a cold cache here), which `deno task check` runs anyway.
 */
export type Need =
  | "llama-server"
  | "tiny model"
  | "offline model"
  | "mlx"
  | "sandbox"
  | "bubblewrap"
  | "python3"
  | "numpy"
  | "jupyter"
  | "deno check";

/** True under `deno task test:fast`. */
export const FAST = Deno.env.get("FACTORY_TEST_TIER") === "fast";

/** What each file was said to need so far. */
const said = new Map<string, Set<Need>>();

/**
 * Test options for tests needing `needs`: `{ ignore: true }` under test:fast, with one line per file
 * saying which file skips tests needing what (and a line more only when a later call adds a need);
 * `{ ignore: false }` in the full tier, where a missing need fails the test.
 */
export function requires(...needs: [Need, ...Need[]]): { ignore: boolean } {
  if (FAST) {
    const file = callerFile();
    const known = said.get(file);
    const added = needs.filter((need) => !known?.has(need));
    if (added.length > 0) {
      const what = known
        ? `also skips tests needing ${added.join(", ")}`
        : `skips tests needing ${needs.join(", ")}`;
      console.log(`test:fast: ${file} ${what}`);
    }
    said.set(file, new Set([...known ?? [], ...needs]));
  }
  return { ignore: FAST };
}

/** The test file that called `requires`, relative to the working directory. */
function callerFile(): string {
  const frame = new Error().stack?.split("\n")[3] ?? "";
  const url = frame.match(/(file:\/\/[^\s)]+?):\d+:\d+/)?.[1];
  return url ? relative(Deno.cwd(), fileURLToPath(url)) : "a test file";
}
