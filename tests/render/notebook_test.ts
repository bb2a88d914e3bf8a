import assert from "node:assert/strict";
import {
  type DisplayCallOptions,
  inJupyter,
  jupyterDisplay,
  makeDisplayable,
  notebookSink,
  show,
} from "../../lib/render/notebook.ts";
import { JUPYTER_DISPLAY, type MimeBundle } from "../../lib/render/bundles.ts";
import { LiveView } from "../../lib/render/live_view.ts";
import { viewRun } from "../../lib/render/run_view.ts";
import type { RunEvent } from "../../lib/types.ts";
import { tempDir } from "../_helpers.ts";
import { ESCAPED, HOSTILE, hostileRun } from "./_hostile_run.ts";

/** A display stand-in recording each call; `next()` resolves at the next call. */
function recordingDisplay() {
  const calls: { bundle: MimeBundle; options: DisplayCallOptions }[] = [];
  let waiter: (() => void) | undefined;
  return {
    calls,
    display: (bundle: MimeBundle, options: DisplayCallOptions) => {
      calls.push({ bundle, options });
      waiter?.();
      return Promise.resolve();
    },
    next: () => new Promise<void>((resolve) => waiter = resolve),
  };
}

async function recordedEvents(): Promise<RunEvent[]> {
  await using out = await tempDir();
  return (await hostileRun(out.path)).events;
}

Deno.test("notebookSink() outside the kernel shows nothing and breaks nothing", async () => {
  assert.equal(inJupyter(), false);
  assert.equal(jupyterDisplay(), undefined);
  const sink = notebookSink();
  const events = await recordedEvents();
  for (const e of events) await sink(e);
  const stop = events.at(-1)!;
  assert.equal(stop.kind, "stop");
  if (stop.kind === "stop") {
    assert.equal(typeof (stop.result as unknown as Record<symbol, unknown>)[JUPYTER_DISPLAY], "function");
  }
});

Deno.test("notebookSink() shows one display, updates it in place, and ends with the full run", async (t) => {
  const events = await recordedEvents();
  const screen = recordingDisplay();
  let clock = 0;
  const sink = notebookSink({ display: screen.display, intervalMs: 200, now: () => clock, displayId: "d1" });
  await t.step("the first event creates the display", async () => {
    await sink(events[0]);
    assert.equal(screen.calls.length, 1);
    assert.deepEqual(screen.calls[0].options, { raw: true, display_id: "d1", update: false });
    assert.match(screen.calls[0].bundle["text/html"], /badge fx-info">running</);
  });
  await t.step("events within the interval are held back, then shown once it ends", async () => {
    const tokens = events.filter((e) => e.kind === "coder_token").slice(0, 3);
    clock = 50;
    const shown = screen.next();
    for (const e of tokens) await sink(e);
    assert.equal(screen.calls.length, 1, "no update before 200 ms");
    await shown;
    assert.equal(screen.calls.length, 2);
    assert.deepEqual(screen.calls[1].options, { raw: true, display_id: "d1", update: true });
    assert.match(screen.calls[1].bundle["text/html"], /Here is the program/, "the streamed text is shown");
  });
  await t.step("the stop event shows the full run at once and escapes hostile text", async () => {
    clock = 10_000;
    for (const e of events.slice(1)) await sink(e);
    const last = screen.calls.at(-1)!;
    assert.equal(last.options.update, true);
    assert.equal(last.options.display_id, "d1");
    const html = last.bundle["text/html"];
    assert.match(html, /<h4>Timeline<\/h4>/);
    assert.ok(!html.includes(HOSTILE) && html.includes(ESCAPED));
    assert.ok(screen.calls.every((c) => c.options.display_id === "d1"), "always the same display");
  });
  await t.step("the result displays richly and keeps its prompts for viewRun()", () => {
    const stop = events.at(-1)!;
    if (stop.kind !== "stop") throw new Error("no stop event");
    const bundle = (stop.result as unknown as Record<symbol, () => MimeBundle>)[JUPYTER_DISPLAY]();
    assert.match(bundle["text/html"], /Time breakdown/);
    assert.equal(Object.keys(stop.result).includes(String(JUPYTER_DISPLAY)), false, "not enumerable");
    assert.equal(JSON.stringify(stop.result).includes("Jupyter"), false, "invisible to JSON");
    assert.match(viewRun(stop.result).coder(1)[JUPYTER_DISPLAY]()["text/html"], /Prompt: \d+ messages/);
  });
});

Deno.test("notebookSink() reused for a second run opens a second display", async () => {
  const events = await recordedEvents();
  const screen = recordingDisplay();
  const sink = notebookSink({ display: screen.display, intervalMs: 0 });
  for (const e of [...events, ...events]) await sink(e);
  const ids = [...new Set(screen.calls.map((c) => c.options.display_id))];
  assert.equal(ids.length, 2);
  const firsts = screen.calls.filter((c) => !c.options.update).map((c) => c.options.display_id);
  assert.deepEqual(firsts, ids, "each display is created once, then updated");
  const second = screen.calls.filter((c) => c.options.display_id === ids[1]).map((c) =>
    c.bundle["text/plain"]
  );
  const live = second.filter((text) => text.startsWith("factory · "));
  assert.ok(live.length > 0);
  for (const text of live) {
    const first = text.split("\n").find((line) => line.startsWith("#1 ")) ?? "";
    assert.ok((first.match(/Coder wrote/g) ?? []).length <= 1, `the second run starts afresh: ${first}`);
  }
});

Deno.test("notebookSink() keeps the run going when the display fails", async () => {
  const sink = notebookSink({ display: () => Promise.reject(new Error("kernel gone")), intervalMs: 0 });
  for (const e of await recordedEvents()) await sink(e);
});

Deno.test("LiveView follows the phases of a run", async () => {
  const events = await recordedEvents();
  const view = new LiveView(() => 0);
  const phases: string[] = [];
  for (const e of events.slice(0, -1)) {
    view.apply(e);
    const text = view.bundle()["text/plain"];
    phases.push(text.split("\n")[0].split(" · ")[2]);
  }
  assert.ok(phases.includes("attempt 1: the Coder is writing"));
  assert.ok(phases.includes("attempt 1: running the python program"));
  assert.ok(phases.includes("attempt 2: the Sheriff is reviewing"));
  assert.match(view.bundle()["text/plain"], /#1 Coder wrote 5 lines/);
  const unfinished = view.result;
  assert.equal(unfinished, undefined);
  view.apply(events.at(-1)!);
  assert.equal(view.result?.status, "passed");
  assert.match(view.bundle()["text/plain"], /^PASSED/);
});

Deno.test("show() does nothing outside the kernel and displays through a given function", async () => {
  const screen = recordingDisplay();
  let built = 0;
  const rich = {
    [JUPYTER_DISPLAY]: () => ({ "text/html": "h", "text/markdown": "m", "text/plain": `p${++built}` }),
  };
  await show(rich);
  assert.equal(built, 0, "not even built outside the kernel");
  await show(rich, screen.display);
  await show({ "text/html": "x", "text/markdown": "x", "text/plain": "x" }, screen.display);
  assert.deepEqual(screen.calls.map((c) => c.bundle["text/plain"]), ["p1", "x"]);
  assert.deepEqual(screen.calls[0].options, { raw: true });
});

Deno.test("makeDisplayable() leaves the result's data untouched", async () => {
  await using out = await tempDir();
  const { result } = await hostileRun(out.path);
  const before = JSON.stringify(result);
  const shown = makeDisplayable(result);
  assert.equal(shown, result);
  assert.equal(JSON.stringify(shown), before);
  assert.match(shown[JUPYTER_DISPLAY]()["text/plain"], /^PASSED/);
});
