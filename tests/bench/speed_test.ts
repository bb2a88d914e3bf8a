import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors.ts";
import { parseSpeedArms } from "../../lib/bench/speed_arms.ts";
import { decodeRate, speedRatios, summarizeSpeed } from "../../lib/bench/speed_summary.ts";
import { speedMarkdownReport } from "../../lib/bench/speed_markdown.ts";
import { speedSvgReport } from "../../lib/bench/speed_svg.ts";
import type { BenchMeta } from "../../lib/bench/meta.ts";
import type { BenchRecord } from "../../lib/bench/record.ts";
import { NGRAM_DEFAULT } from "../../lib/server/speculation.ts";
import {
  attemptRecord,
  benchRecord,
  call,
  coderReply,
  personaModel,
  REMOVE_OCC,
  REMOVE_OCC_GOOD,
  sheriffReply,
} from "./_fixtures.ts";
import { tempDir, testLimits } from "../_helpers.ts";
import { join } from "node:path";
import { runSpeedBench } from "../../lib/bench/speed_run.ts";
import { ARMS } from "../../lib/bench/arms.ts";
import { mbppBenchTask } from "../../lib/bench/mbpp_task.ts";
import { resolveConfig } from "../../lib/config/resolve.ts";
import type { connectModel } from "../../lib/setup/connect_model.ts";
import type { Speculation } from "../../lib/server/speculation.ts";
import { benchCommand } from "../../lib/cli/bench_command.ts";
import { captureIo } from "../cli/_io.ts";
import { requires } from "../_tier.ts";

const PYTHON_SANDBOX = requires("python3", "sandbox");

Deno.test("parseSpeedArms() reads modes and tuned n-gram and draft arms", async (t) => {
  await t.step("the three modes, with each mode's defaults", () => {
    assert.deepEqual(parseSpeedArms("off, ngram,draft"), [
      { label: "off", mode: "off" },
      { label: "ngram", mode: "ngram", tuning: { ngram: NGRAM_DEFAULT } },
      { label: "draft", mode: "draft", tuning: { draft: { nMax: 3, nMin: 0 } } },
    ]);
  });
  await t.step("tuned arms keep their label and override only what they name", () => {
    const [mod, simple, draft] = parseSpeedArms(
      "ngram-mod:n-match=16:n-max=32,ngram-simple:size-n=8,draft:n-max=8",
    );
    assert.deepEqual(mod, {
      label: "ngram-mod:n-match=16:n-max=32",
      mode: "ngram",
      tuning: { ngram: { ...NGRAM_DEFAULT, nMatch: 16, nMax: 32 } },
    });
    assert.deepEqual(simple.tuning, { ngram: { type: "ngram-simple", sizeN: 8 } });
    assert.deepEqual(draft.tuning, { draft: { nMax: 8, nMin: 0 } });
  });
  await t.step("mistakes are one ConfigError naming the arm", () => {
    const cases: [string, RegExp][] = [
      ["", /expected a list such as off,ngram,draft/],
      ["fast", /unknown arm: fast \(expected off, ngram, draft or one of ngram-mod, /],
      ["ngram:n-match", /ngram:n-match: expected key=number, got "n-match"/],
      ["ngram-simple:n-match=3", /unknown parameter n-match \(expected size-n, size-m, min-hits\)/],
      ["off:n-max=2", /off takes no parameters/],
      ["ngram,ngram", /ngram is listed twice/],
    ];
    for (const [text, pattern] of cases) {
      assert.throws(
        () => parseSpeedArms(text),
        (e) => e instanceof ConfigError && pattern.test(e.message),
        text,
      );
    }
  });
});

/** A run in speed arm `label`: attempts with Coder calls at `tokensPerSec` on retries, passing or not. */
function run(
  label: string,
  taskId: string,
  wallMs: number,
  opts: {
    attempts?: number;
    passed?: boolean;
    retryRate?: number;
    draft?: [number, number];
    /** The program hash of the last attempt (others are `p<task>-<n>`). */
    lastProgram?: string;
  } = {},
): BenchRecord {
  const attempts = opts.attempts ?? 1;
  const [drafted, accepted] = opts.draft ?? [0, 0];
  const details = Array.from({ length: attempts }, (_, i) => {
    const n = i + 1;
    // 100 completion tokens: 4 s of decode on first turns (25 tokens/s), retryRate on retries.
    const decodeMs = n === 1 ? 4000 : 100_000 / (opts.retryRate ?? 25);
    const speculation = drafted ? { draftTokens: drafted, draftAccepted: accepted } : {};
    const programSha256 = n === attempts && opts.lastProgram ? opts.lastProgram : `p${taskId}-${n}`;
    return attemptRecord({
      n,
      programSha256,
      calls: [
        call({ attempt: n, decodeMs, cachedTokens: n > 1 ? 180 : 0, ...speculation }),
        call({ attempt: n, persona: "sheriff", decodeMs: 2000, cachedTokens: n > 1 ? 150 : 0 }),
      ],
    });
  });
  return benchRecord({
    taskId,
    speculative: label,
    wallMs,
    passed: opts.passed ?? true,
    attempts,
    attemptDetails: details,
  });
}

const RECORDS = [
  run("off", "1", 10_000),
  run("off", "2", 30_000, { attempts: 2 }),
  run("off", "3", 50_000, { attempts: 3, passed: false }),
  run("ngram", "1", 10_000, { draft: [10, 5] }),
  run("ngram", "2", 15_000, { attempts: 2, retryRate: 50, draft: [100, 90] }),
  run("ngram", "3", 25_000, {
    attempts: 3,
    passed: false,
    retryRate: 50,
    draft: [100, 90],
    lastProgram: "other",
  }),
];

Deno.test("summarizeSpeed() reports time to PASS, retried runs, decode speed apart, acceptance and caching", () => {
  const [off, ngram] = summarizeSpeed(["off", "ngram", "draft"], RECORDS);
  assert.equal(
    summarizeSpeed(["off", "ngram", "draft"], RECORDS).length,
    2,
    "arms without records are left out",
  );
  assert.deepEqual([off.tasks, off.passed, off.retried], [3, 2, 2]);
  assert.equal(off.passWallMedianMs, 20_000, "the median of the passing runs' 10 s and 30 s");
  assert.equal(off.passWallP90Ms, 30_000);
  assert.equal(off.retriedWallMedianMs, 40_000);
  assert.equal(off.coderFirst.perSec, 25);
  assert.equal(off.coderRetry.perSec, 25);
  assert.equal(ngram.coderRetry.perSec, 50);
  assert.equal(ngram.coderRetry.calls, 3, "attempts 2 of task 2, 2 and 3 of task 3");
  assert.equal(off.sheriff.perSec, 50);
  assert.deepEqual(ngram.acceptance, {
    drafted: 10 + 2 * 100 + 3 * 100,
    accepted: 5 + 2 * 90 + 3 * 90,
    rate: 455 / 510,
  });
  assert.equal(off.acceptance.drafted, 0);
  assert.equal(off.retryCache.ratio, (180 + 150) / 400);
  assert.equal(off.coderRetryCache.ratio, 180 / 200, "the Coder's retry turns alone");
});

Deno.test("speedRatios() compares every arm with off, medians and task by task", () => {
  const summaries = summarizeSpeed(["off", "ngram"], RECORDS);
  const [base, ngram] = speedRatios(summaries, RECORDS);
  assert.equal(base.passWallMedian, 1);
  assert.equal(ngram.passWallMedian, 20_000 / 12_500);
  assert.equal(ngram.pairedTasks, 2);
  assert.equal(ngram.pairedPassSpeedup, (1 + 2) / 2, "task 1 1×, task 2 2×");
  assert.equal(ngram.retriedWallMedian, 40_000 / 20_000);
  assert.equal(ngram.coderRetry, 2);
  assert.equal(ngram.coderFirst, 1);
  assert.equal(ngram.passRatePoints, 0);
  assert.deepEqual(
    ngram.programs,
    { compared: 3, sameFirst: 3, sameAll: 2 },
    "task 3's last program differs",
  );
  assert.deepEqual(speedRatios(summaries.slice(1), RECORDS), [], "no baseline, no ratios");
});

Deno.test("decodeRate() counts only turns the server timed", () => {
  const rate = decodeRate([call({ decodeMs: 2000 }), call({ timed: false, decodeMs: 0 })]);
  assert.deepEqual(rate, { calls: 1, tokens: 100, decodeMs: 2000, perSec: 50 });
  assert.ok(Number.isNaN(decodeRate([]).perSec));
});

const META: BenchMeta = {
  suite: "mbpp",
  selection: "quick subset (3 tasks)",
  model: "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
  server: "llama.cpp llama-server",
  limits: testLimits(),
  concurrency: 1,
  command: "deno task bench mbpp --speculative off,ngram",
  date: "2026-12-01T00:00:00.000Z",
  machine: "linux x86_64, 2 CPU cores",
  speedArms: [
    { label: "off", speculation: "off" },
    { label: "ngram", speculation: "ngram (ngram-mod, n-match 24, n-min 48, n-max 64)" },
  ],
};

Deno.test("speedMarkdownReport() and speedSvgReport() show the arms, the ratios and every task", () => {
  const summaries = summarizeSpeed(["off", "ngram"], RECORDS);
  const markdown = speedMarkdownReport(META, summaries, speedRatios(summaries, RECORDS), RECORDS);
  assert.match(markdown, /^# factory benchmark: mbpp, quick subset \(3 tasks\), speculative decoding$/m);
  assert.match(markdown, /^ {2}- `ngram`: ngram \(ngram-mod, n-match 24, n-min 48, n-max 64\)$/m);
  assert.match(
    markdown,
    /^\| off \| 3 \| 67% \(2\/3\) \| 20\.0 s \| 30\.0 s \| 2 \| 40\.0 s \| 25\.0 \(3\) \| 25\.0 \(3\) \| 50\.0 \(6\) \| – \| 0\.90; 0\.82 \|$/m,
  );
  assert.match(
    markdown,
    /^\| ngram \| 1\.60× \| 2\.00× \| 1\.50× \(2\) \| 2\.00× \| 1\.00× \| 2\.00× \| \+0 points \| 3\/3, 2\/3 \|$/m,
  );
  assert.match(markdown, /^\| 3 \| ✗ 3 · 50\.0 s \| ✗ 3 · 25\.0 s \|$/m);
  const svg = speedSvgReport(META, summaries);
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.match(svg, />ngram<\/text>/);
  assert.match(svg, />50\.0<\/text>/, "the retry turns' rate is labelled");
  assert.doesNotMatch(svg, /href|<script|url\(/, "self-contained");
});

Deno.test(
  "runSpeedBench() runs the same tasks once per speed arm, each on its own server, in order",
  PYTHON_SANDBOX,
  async () => {
    await using dir = await tempDir();
    const events: string[] = [];
    const connect: typeof connectModel = (config, options) => {
      const label = `${config.server.speculative}${
        options.speculationTuning?.ngram ? ` ${options.speculationTuning.ngram.type}` : ""
      }`;
      events.push(`start ${label}`);
      const model = personaModel(() => coderReply(REMOVE_OCC_GOOD), () => sheriffReply("PASS"));
      const speculation: Speculation = config.server.speculative === "off"
        ? { kind: "off" }
        : { kind: "ngram", ngram: options.speculationTuning!.ngram! };
      return Promise.resolve({
        model,
        modelForPair: () => model,
        baseUrl: "http://fake/v1",
        modelName: "/m/fake.gguf",
        engine: "llama.cpp" as const,
        speculation,
        diagnose: () => Promise.resolve(undefined),
        [Symbol.asyncDispose]: () => Promise.resolve(void events.push(`stop ${label}`)),
      });
    };
    const outcome = await runSpeedBench({
      tasks: [mbppBenchTask(REMOVE_OCC)],
      arms: ARMS.filter((a) => a.name === "loop"),
      speedArms: parseSpeedArms("off,ngram-simple:size-n=6"),
      config: resolveConfig({}),
      connect: { say: () => {} },
      connectModel: connect,
      runsDir: dir.path,
      onArm: (arm) => void events.push(`run ${arm.label}`),
    });
    assert.deepEqual(events, [
      "start off",
      "run off",
      "stop off",
      "start ngram ngram-simple",
      "run ngram-simple:size-n=6",
      "stop ngram ngram-simple",
    ]);
    assert.deepEqual(outcome.records.map((r) => [r.speculative, r.arm, r.taskId, r.passed]), [
      ["off", "loop", "11", true],
      ["ngram-simple:size-n=6", "loop", "11", true],
    ]);
    assert.deepEqual(outcome.speedArms, [
      { label: "off", speculation: "off" },
      { label: "ngram-simple:size-n=6", speculation: "ngram (ngram-simple, size-n 6)" },
    ]);
    assert.ok(
      outcome.records[1].runDir?.startsWith(join(dir.path, "ngram-simple_size-n=6")),
      "runs kept per arm",
    );
  },
);

Deno.test("benchCommand() --speculative: bad arms, a running server's URL or two loop arms are usage errors", async () => {
  const io = captureIo(Deno.cwd());
  await assert.rejects(benchCommand(["mbpp", "--speculative", "turbo"], io), /unknown arm: turbo/);
  await assert.rejects(
    benchCommand(["mbpp", "--speculative", "off,ngram", "--base-url", "http://127.0.0.1:1/v1"], io),
    new ConfigError(
      "bench --speculative starts a server for each speed arm: drop --no-server and --base-url",
    ),
  );
  await assert.rejects(
    benchCommand(["mbpp", "--speculative", "off,ngram", "--arms", "loop,single"], io),
    /runs one loop arm: name one with --arms/,
  );
});
