/**
 * Progress lines for slow set-up work (building llama-server, fetching a model, starting a server): one line
 * per stage change or new percentage step, never a flood.
 *
 * @module
 */
import type { ProvisionProgress } from "../server/llama_source.ts";
import type { ServerProgress } from "../server/lifecycle.ts";
import type { FetchProgress } from "../models/fetch_model.ts";

/** A printer of provisioning progress (stage and percentage). */
export function provisionPrinter(say: (line: string) => void): (progress: ProvisionProgress) => void {
  let last = "";
  return (progress) => {
    const step = progress.percent === undefined ? "" : String(Math.floor(progress.percent / 10) * 10);
    const key = `${progress.stage} ${step}`;
    if (key === last) return;
    last = key;
    const percent = progress.percent === undefined ? "" : ` ${String(progress.percent).padStart(3)}%`;
    say(`[${progress.stage}${percent}] ${progress.message}\n`);
  };
}

/** A printer of a server start's progress. */
export function serverPrinter(say: (line: string) => void): (event: ServerProgress) => void {
  const provision = provisionPrinter(say);
  let lastWait = 0;
  return (event) => {
    switch (event.kind) {
      case "provision":
        return provision(event.progress);
      case "spawned":
        return say(`starting ${event.argv[0].split("/").at(-1)} (pid ${event.pid}), log ${event.logPath}\n`);
      case "waiting":
        if (event.elapsedMs - lastWait < 5_000) return;
        lastWait = event.elapsedMs;
        return say(
          `waiting for the server (${Math.round(event.elapsedMs / 1000)} s): ${
            event.logLine || event.detail
          }\n`,
        );
      case "preparing":
        return say(`${event.message}${event.percent === undefined ? "" : ` ${event.percent}%`}\n`);
      case "ready":
        return say(`server ready in ${(event.ms / 1000).toFixed(1)} s\n`);
      case "reused":
        return say(`reusing the running server${event.pid ? ` (pid ${event.pid})` : ""}\n`);
      default: {
        const never: never = event;
        return never;
      }
    }
  };
}

/** Progress lines of a model fetch: one per stage or part. */
export function fetchPrinter(say: (line: string) => void): (progress: FetchProgress) => void {
  let last = "";
  return (p) => {
    const key = `${p.stage} ${p.part ?? ""}`;
    if (key === last) return;
    last = key;
    const part = p.part !== undefined && p.parts ? ` ${p.part}/${p.parts}` : "";
    const mb = p.totalBytes ? ` ${(p.bytes / 1e6).toFixed(0)}/${(p.totalBytes / 1e6).toFixed(0)} MB` : "";
    say(`[model ${p.stage}${part}]${mb}${p.detail ? ` ${p.detail}` : ""}\n`);
  };
}
