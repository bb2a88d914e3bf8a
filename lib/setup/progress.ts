/**
 * Progress lines for slow set-up work (building llama-server, fetching a model, starting a server): one line
 * per stage change or new percentage step, never a flood, each with the time it has taken so far.
 *
 * @module
 */
import type { ProvisionProgress } from "../server/llama_source.ts";
import type { ServerProgress } from "../server/lifecycle.ts";
import type { FetchProgress } from "../models/fetch_model.ts";

/** A short name for each provisioning stage. */
const PHASES: Record<ProvisionProgress["stage"], string> = {
  download: "downloading the llama.cpp source",
  extract: "unpacking the source bundle",
  clone: "cloning the source tree",
  configure: "configuring the build",
  build: "compiling llama-server",
  model: "generating the test model",
  venv: "making the mlx virtual environment",
  install: "installing mlx and mlx-lm",
  done: "done",
};

/** `45 s`, `2 min 05 s`. */
export function elapsed(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  if (total < 60) return `${total} s`;
  return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, "0")} s`;
}

/**
 * A printer of provisioning progress: one line per stage and per 10 % of the build, each with the time
 * since provisioning began and a short phase name; the build also says about how long is left.
 * `[build 40% · 2 min 31 s] compiling llama-server, about 3 min 47 s left`.
 */
export function provisionPrinter(
  say: (line: string) => void,
  now: () => number = Date.now,
): (progress: ProvisionProgress) => void {
  let last = "";
  let started: number | undefined;
  return (progress) => {
    started ??= now();
    const step = progress.percent === undefined ? "" : String(Math.floor(progress.percent / 10) * 10);
    const key = `${progress.stage} ${step}`;
    if (key === last) return;
    last = key;
    const spent = now() - started;
    const percent = progress.percent === undefined || progress.stage === "done"
      ? ""
      : ` ${progress.percent}%`;
    const phase = progress.stage === "done" ? progress.message : PHASES[progress.stage];
    const left = progress.stage === "build" && progress.percent !== undefined && progress.percent >= 10 &&
        progress.percent < 100
      ? `, about ${elapsed((spent * (100 - progress.percent)) / progress.percent)} left`
      : "";
    say(`[${progress.stage}${percent} · ${elapsed(spent)}] ${phase}${left}\n`);
  };
}

/**
 * A printer of a server start's progress. While the server gets ready it prints a line every 5 s with
 * the time waited and the phase (starting, loading the model); the log's raw lines stay in the log
 * (`server logs`).
 */
export function serverPrinter(
  say: (line: string) => void,
  now: () => number = Date.now,
): (event: ServerProgress) => void {
  const provision = provisionPrinter(say, now);
  let lastWait = 0;
  let program = "the server";
  return (event) => {
    switch (event.kind) {
      case "provision":
        return provision(event.progress);
      case "spawned":
        program = event.argv[0].split("/").at(-1) ?? program;
        return say(`starting ${program} (pid ${event.pid}), log ${event.logPath}\n`);
      case "waiting": {
        if (event.elapsedMs - lastWait < 5_000) return;
        lastWait = event.elapsedMs;
        const phase = event.phase === "loading" ? "loading the model" : `starting ${program}`;
        return say(`[server · ${elapsed(event.elapsedMs)}] ${phase}\n`);
      }
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
