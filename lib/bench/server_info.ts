/**
 * A line about the model server and the machine for the report: llama-server's build, slots and
 * context when it says, the CPU count and load.
 *
 * @module
 */

/** Describes the server at `baseUrl` (its `/props` when it is llama-server). Never throws. */
export async function describeServer(baseUrl: string, fetchFn: typeof fetch = fetch): Promise<string> {
  const origin = baseUrl.replace(/\/v1\/?$/, "");
  try {
    const response = await fetchFn(`${origin}/props`, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) {
      await response.body?.cancel();
      return `the OpenAI-compatible server at ${baseUrl}`;
    }
    const props = await response.json() as {
      build_info?: unknown;
      total_slots?: unknown;
      default_generation_settings?: { n_ctx?: unknown };
    };
    const slots = typeof props.total_slots === "number" ? `, ${props.total_slots} slots` : "";
    const ctx = props.default_generation_settings?.n_ctx;
    const perSlot = typeof ctx === "number" ? ` of ${ctx} tokens` : "";
    const build = typeof props.build_info === "string" ? ` ${props.build_info}` : "";
    return `llama.cpp llama-server${build} at ${baseUrl}${slots}${perSlot}, prompt cache on`;
  } catch {
    return `the OpenAI-compatible server at ${baseUrl}`;
  }
}

/** The 1-minute load average, e.g. `1.52`; undefined where the platform has none. */
export function loadAverage(): string | undefined {
  try {
    return Deno.loadavg()[0].toFixed(2);
  } catch {
    return undefined;
  }
}

/** The platform, the CPU count and the load average now. */
export function describeMachine(): string {
  const load = loadAverage();
  const now = load === undefined ? "" : `, load average ${load} at start`;
  return `${Deno.build.os} ${Deno.build.arch}, ${navigator.hardwareConcurrency} CPU cores${now}`;
}
