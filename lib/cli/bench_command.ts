/**
 * `factory bench SUITE`: runs the benchmark's arms on a suite against the model server, writes
 * `results.jsonl` as it goes, then `results.md` and `results.svg`, and prints the table.
 *
 * @module
 */
import { join } from "node:path";
import { ConfigError, EXIT } from "../errors.ts";
import { numberFlag, parseFlags } from "./parse.ts";
import type { CliIo } from "./io.ts";
import { connectModel } from "./connect_model.ts";
import { resolveConfig } from "../config/resolve.ts";
import { checkPartialConfig } from "../config/schema.ts";
import { ARMS, benchLimits, parseArms } from "../bench/arms.ts";
import { loadSuite, parseSuite } from "../bench/suites.ts";
import { runBench } from "../bench/run_bench.ts";
import { jsonlAppender } from "../bench/jsonl.ts";
import { RESULT_FILES, writeReports } from "../bench/write_results.ts";
import { speedProbe } from "../bench/speed_probe.ts";
import { describeMachine, describeServer } from "../bench/server_info.ts";
import { progressLine } from "../bench/progress_line.ts";
import type { BenchMeta } from "../bench/meta.ts";

/** `factory bench --help`. */
export const BENCH_HELP =
  `Usage: deno run -A cli.ts bench SUITE [options]    (or: deno task bench SUITE [options])

Runs every task of SUITE in each arm with the same model and settings, judges each attempt's program
against hidden ground truth, and writes results.jsonl, results.md and results.svg.

Suites:
  mbpp       MBPP sanitized (../shared/data/mbpp): the quick subset in bench/mbpp_quick.json, or --all
  examples   the task files in examples/ (their checks are the ground truth)

Arms:
  single       one attempt, no Sheriff: a clean exit passes
  loop         Coder, run, Sheriff, up to --max-attempts; no checks shown
  loop+checks  the loop with the visible checks (MBPP: the first assert as a test program)

Options:
      --arms LIST          comma-separated arms (default single,loop,loop+checks)
      --all                every task of the suite, not the quick subset
      --limit N            at most N tasks
      --concurrency N      runs at the same time (default 1; factory's server has 2 slots)
  -n, --max-attempts N     attempts of the loop arms (default 3)
  -m, --model NAME         model name or GGUF path (default: the verified offline model)
      --base-url URL       use this running OpenAI-compatible server
      --no-server          use the server at --port; never start one
      --port PORT          the model server's port (default 8080)
      --out DIR            where results go (default runs/bench/<time>-<suite>)
      --mbpp FILE          the MBPP JSON (default ../shared/data/mbpp/sanitized-mbpp.json)
      --no-speed           skip the streamed-versus-raw speed probe
  -h, --help               this help

Fixed settings: temperature 0, 768 tokens a turn, 10 s a program run, 180 s a model call.
Exit codes: 0 finished, 2 usage error, 3 model server unreachable, 130 interrupted.`;

const OPTIONS = {
  arms: { type: "string" },
  all: { type: "boolean" },
  limit: { type: "string" },
  concurrency: { type: "string" },
  "max-attempts": { type: "string", short: "n" },
  model: { type: "string", short: "m" },
  "base-url": { type: "string" },
  "no-server": { type: "boolean" },
  port: { type: "string" },
  out: { type: "string" },
  mbpp: { type: "string" },
  "no-speed": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** How many first Coder prompts the speed probe replays. */
const SPEED_SAMPLES = 3;

/** Runs `factory bench ARGS`; returns the exit code. */
export async function benchCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags("bench", args, OPTIONS);
  if (values.help) {
    io.out(BENCH_HELP + "\n");
    return EXIT.passed;
  }
  if (positionals.length > 1) throw new ConfigError(`bench: unexpected argument: ${positionals[1]}`);
  const suite = parseSuite(positionals[0]);
  const arms = values.arms === undefined ? [...ARMS] : parseArms(values.arms);
  const concurrency = numberFlag("concurrency", values.concurrency, { min: 1, integer: true }) ?? 1;
  const maxAttempts = numberFlag("max-attempts", values["max-attempts"], { min: 1, integer: true });
  const limits = benchLimits(maxAttempts === undefined ? {} : { maxAttempts });
  const tasks = await loadSuite(suite, {
    all: values.all,
    limit: numberFlag("limit", values.limit, { min: 1, integer: true }),
    mbppPath: values.mbpp,
  });
  const flags = checkPartialConfig({
    server: {
      model: values.model,
      baseUrl: values["base-url"],
      port: numberFlag("port", values.port, { min: 1, integer: true }),
    },
  }, "Invalid flag");
  const config = resolveConfig({ flags });
  const started = new Date();
  const stamp = started.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const runsDir = join("runs", "bench", `${stamp}-${suite}`);
  const out = values.out ?? runsDir;
  await Deno.mkdir(out, { recursive: true });
  const jsonlPath = join(out, RESULT_FILES.jsonl);
  await Deno.writeTextFile(jsonlPath, "");
  await using connection = await connectModel(config, {
    noServer: values["no-server"] ?? false,
    signal: io.signal,
    say: io.err,
    defaultModel: io.defaultModel,
  });
  const meta: BenchMeta = {
    suite,
    selection: suite === "mbpp" && !values.all
      ? `quick subset (${tasks.length} tasks)`
      : `${tasks.length} tasks`,
    model: connection.modelName.split("/").at(-1) ?? connection.modelName,
    server: await describeServer(connection.baseUrl),
    limits,
    concurrency,
    command: `deno task bench ${args.join(" ")}`,
    date: started.toISOString(),
    machine: describeMachine(),
  };
  io.err(`bench ${suite}: ${tasks.length} tasks × ${arms.length} arms, concurrency ${concurrency}\n`);
  const append = jsonlAppender(jsonlPath);
  let finished = 0;
  const t0 = performance.now();
  const outcome = await runBench({
    tasks,
    arms,
    model: connection.model,
    modelName: meta.model,
    limits,
    runsDir,
    concurrency,
    signal: io.signal,
    onRecord: async (record) => {
      await append(record);
      io.err(progressLine(++finished, tasks.length * arms.length, record));
    },
  });
  if (!values["no-speed"] && !outcome.interrupted && outcome.coderPrompts.length > 0) {
    io.err(
      `speed probe: ${Math.min(SPEED_SAMPLES, outcome.coderPrompts.length)} prompts, streamed and raw\n`,
    );
    meta.speed = await speedProbe(outcome.coderPrompts.slice(0, SPEED_SAMPLES), {
      model: connection.model,
      baseUrl: connection.baseUrl,
      modelName: connection.modelName,
      maxTokens: limits.maxTokensPerTurn,
      temperature: limits.temperature,
      timeoutMs: limits.llmTimeoutMs,
      signal: io.signal,
    });
  }
  meta.totalMs = performance.now() - t0;
  const { markdown } = await writeReports(out, meta, arms.map((a) => a.name), outcome.records);
  io.out(markdown);
  io.err(
    `results: ${out}/${RESULT_FILES.markdown}, ${RESULT_FILES.svg}, ${RESULT_FILES.jsonl}; runs: ${runsDir}\n`,
  );
  return outcome.interrupted ? EXIT.interrupted : EXIT.passed;
}
