import assert from "node:assert/strict";
import { elapsed, provisionPrinter, serverPrinter } from "../../lib/setup/progress.ts";
import { fakeClock } from "../_fakes.ts";

Deno.test("provisionPrinter() shows elapsed time, a phase name and the time left, not raw command lines", () => {
  const clock = fakeClock(0);
  const lines: string[] = [];
  const print = provisionPrinter((line) => lines.push(line), clock.now);
  print({ stage: "download", message: "npm pack node-llama-cpp@3.22.1" });
  clock.advance(4_000);
  print({ stage: "configure", message: "cmake -B build -DCMAKE_BUILD_TYPE=Release ..." });
  clock.advance(20_000);
  print({ stage: "build", percent: 0, message: "cmake --build build" });
  clock.advance(96_000);
  print({ stage: "build", percent: 40, message: "Building CXX object src/llama.cpp.o" });
  print({ stage: "build", percent: 43, message: "Building CXX object src/llama-model.cpp.o" });
  clock.advance(248_000);
  print({ stage: "done", percent: 100, message: "built /cache/llama-server" });
  assert.deepEqual(lines, [
    "[download · 0 s] downloading the llama.cpp source\n",
    "[configure · 4 s] configuring the build\n",
    "[build 0% · 24 s] compiling llama-server\n",
    "[build 40% · 2 min 00 s] compiling llama-server, about 3 min 00 s left\n",
    "[done · 6 min 08 s] built /cache/llama-server\n",
  ]);
});

Deno.test("serverPrinter() shows the wait's time and phase every 5 s, never a raw log line", () => {
  const lines: string[] = [];
  const print = serverPrinter((line) => lines.push(line));
  print({ kind: "spawned", pid: 42, argv: ["/cache/bin/llama-server", "-m", "x.gguf"], logPath: "/s/l.log" });
  const raw = "0.04.960.771 I cmn init: loading model";
  for (const ms of [1_000, 5_500, 7_000, 11_000]) {
    const phase = ms < 6_000 ? "starting" : "loading";
    print({ kind: "waiting", phase, detail: "Loading model", elapsedMs: ms, logLine: raw });
  }
  print({ kind: "ready", ms: 12_300 });
  assert.deepEqual(lines, [
    "starting llama-server (pid 42), log /s/l.log\n",
    "[server · 6 s] starting llama-server\n",
    "[server · 11 s] loading the model\n",
    "server ready in 12.3 s\n",
  ]);
  assert.ok(lines.every((line) => !line.includes("cmn init")));
});

Deno.test("elapsed() reads as seconds, then minutes and seconds", () => {
  assert.equal(elapsed(0), "0 s");
  assert.equal(elapsed(59_400), "59 s");
  assert.equal(elapsed(61_000), "1 min 01 s");
  assert.equal(elapsed(368_000), "6 min 08 s");
});
