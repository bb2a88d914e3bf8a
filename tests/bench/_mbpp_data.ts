/** Whether the MBPP data set shipped in bench/data/mbpp is here; tests that read it are ignored when not (never in CI). */
import { DEFAULT_MBPP_PATH } from "../../lib/bench/mbpp.ts";

async function present(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** True when the tests that need `bench/data/mbpp/sanitized-mbpp.json` must be skipped. */
export const NO_MBPP: boolean = !(await present(DEFAULT_MBPP_PATH)) && Deno.env.get("CI") !== "true";
if (NO_MBPP) console.warn(`MBPP tests ignored: ${DEFAULT_MBPP_PATH} is missing`);
