import assert from "node:assert/strict";
import type { Readiness } from "../../lib/server/engines/engine.ts";
import type { ExitStatus } from "../../lib/server/process_group.ts";
import { waitForReady } from "../../lib/server/readiness.ts";

/** A probe answering from a script, then repeating the last answer. */
function scripted(answers: Readiness[]): { probe: () => Promise<Readiness>; calls: () => number } {
  let calls = 0;
  return {
    probe: () => Promise.resolve(answers[Math.min(calls++, answers.length - 1)]),
    calls: () => calls,
  };
}

const LOADING: Readiness = { kind: "loading", detail: "Loading model" };

Deno.test("waitForReady() polls until ready, reporting each wait", async () => {
  const { probe, calls } = scripted([{ kind: "down", detail: "refused" }, LOADING, LOADING, {
    kind: "ready",
  }]);
  const waits: string[] = [];
  const outcome = await waitForReady({ probe, initialDelayMs: 1, onWait: (last) => waits.push(last.kind) });
  assert.equal(outcome.kind, "ready");
  assert.equal(calls(), 4);
  assert.deepEqual(waits, ["down", "loading", "loading"]);
});

Deno.test("waitForReady() ends at once when the process exits, however long the timeout", async () => {
  const { probe } = scripted([LOADING]);
  let exit!: (status: ExitStatus) => void;
  const exited = new Promise<ExitStatus>((resolve) => exit = resolve);
  const started = Date.now();
  const waiting = waitForReady({ probe, exited, timeoutMs: 60_000, initialDelayMs: 5_000 });
  setTimeout(() => exit({ code: 1, signal: null }), 20);
  const outcome = await waiting;
  assert.deepEqual(outcome.kind === "exited" && outcome.status, { code: 1, signal: null });
  assert.equal(outcome.kind === "exited" && outcome.last.kind, "loading");
  assert.ok(Date.now() - started < 2_000);
});

Deno.test("waitForReady() reports a dead foreign process through alive()", async () => {
  const { probe, calls } = scripted([LOADING]);
  let alive = true;
  const outcome = await waitForReady({
    probe,
    alive: () => alive,
    initialDelayMs: 1,
    onWait: () => calls() === 3 && (alive = false),
  });
  assert.equal(outcome.kind, "exited");
  assert.equal(calls(), 3);
});

Deno.test("waitForReady() ends at once when the server answers that it will never be ready", async () => {
  const failed: Readiness = { kind: "failed", detail: "the model failed to load" };
  const { probe, calls } = scripted([LOADING, failed, { kind: "ready" }]);
  const outcome = await waitForReady({ probe, initialDelayMs: 1, timeoutMs: 60_000 });
  assert.equal(outcome.kind, "failed");
  assert.deepEqual(outcome.kind === "failed" && outcome.last, failed);
  assert.equal(calls(), 2);
});

Deno.test("waitForReady() times out with the last answer", async () => {
  const { probe } = scripted([LOADING]);
  const outcome = await waitForReady({ probe, timeoutMs: 60, initialDelayMs: 5, maxDelayMs: 10 });
  assert.equal(outcome.kind, "timed_out");
  assert.deepEqual(outcome.kind === "timed_out" && outcome.last, LOADING);
  assert.ok(outcome.ms >= 60);
});

Deno.test("waitForReady() rejects with the abort reason and cancels the probe in flight", async () => {
  const controller = new AbortController();
  let probeSignal: AbortSignal | undefined;
  const probe = (signal: AbortSignal) => {
    probeSignal = signal;
    return new Promise<Readiness>((_, reject) =>
      signal.addEventListener("abort", () => reject(signal.reason))
    );
  };
  const waiting = waitForReady({ probe, signal: controller.signal });
  setTimeout(() => controller.abort(new Error("Ctrl-C")), 10);
  await assert.rejects(waiting, /Ctrl-C/);
  assert.equal(probeSignal?.aborted, true);
});
