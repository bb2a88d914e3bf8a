/**
 * `factory bench SUITE`: runs the benchmark's arms on a suite against the model server, writes
 * `results.jsonl` as it goes, then `results.md` and `results.svg`, and prints the table.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { ConfigError, EXIT, ModelError } from "../errors.ts";
import { numberFlag, parseFlags } from "./parse.ts";
import { type CliIo, commandOf } from "./io.ts";
import { withCommand } from "./help.ts";
import { provenanceOf } from "../setup/provenance.ts";
import { resolveSandbox } from "../sandbox/sandbox_mode.ts";
import { type Connection, connectModel } from "../setup/connect_model.ts";
import type { ChatMessage, Limits } from "../types.ts";
import { resolveConfig } from "../config/resolve.ts";
import { checkPartialConfig } from "../config/schema.ts";
import { ARMS, benchLimits, DEFAULT_ARMS, parseArms } from "../bench/arms.ts";
import { parseSpeedArms } from "../bench/speed_arms.ts";
import { runSpeedBench } from "../bench/speed_run.ts";
import { type BenchOptions, runBench } from "../bench/run_bench.ts";
import { loadSuite, parseSuite } from "../bench/suites.ts";
import { jsonlAppender } from "../bench/jsonl.ts";
import { RESULT_FILES, rewriteReports, writeReports } from "../bench/write_results.ts";
import { speedProbe, type SpeedReport } from "../bench/speed_probe.ts";
import { describeMachine, describeServer, loadAverage } from "../bench/server_info.ts";
import { progressLine } from "../bench/progress_line.ts";
import type { BenchMeta } from "../bench/meta.ts";
import { turnTimeCapMs } from "../orchestrator/stop_conditions.ts";

/** `factory bench --help`. */
export const BENCH_HELP =
  `Usage: deno run -A cli.ts bench SUITE [options]    (or: deno task bench SUITE [options])
       deno run -A cli.ts bench report DIR        render DIR's results.md and results.svg again

Runs every task of SUITE in each arm with the same model and settings, judges each attempt's program
against hidden ground truth, and writes results.jsonl, results.md and results.svg.

Suites:
  mbpp       MBPP sanitized (bench/data/mbpp, CC BY 4.0): the fixed sample of 100 in bench/mbpp_sample.json,
             --quick for the 12 of bench/mbpp_quick.json, or --all for all 427
  examples   the task files in examples/ (their checks are the ground truth)

Arms:
  raw           the model asked plainly: one user message, no system prompt, the reply's code block as is
  single        one attempt: with loop, scored from the loop arm's first attempt (not run again);
                alone, one attempt with no Sheriff, where a clean exit passes
  loop          Coder, run, Sheriff, up to --max-attempts; no checks
  loop+derived  the loop on the task text with one example written in (MBPP: the first assert), from
                which factory derives its check
  loop+checks   the loop with the visible checks (MBPP: the first assert as a test program; not by default)

Options:
      --arms LIST          comma-separated arms (default raw,single,loop,loop+derived)
      --all                every task of the suite, not the sample
      --quick              MBPP: the quick subset of 12 instead of the sample of 100
      --limit N            at most N tasks
      --concurrency N      runs at the same time (default 1; factory's server has 2 slots)
  -n, --max-attempts N     attempts of the loop arms (default 3)
      --llm-timeout SECONDS  stall limit of a model call: no token for this long stops it (default 180)
  -m, --model NAME         model name or GGUF path (default: the verified offline model)
      --base-url URL       use this running OpenAI-compatible server
      --no-server          use the server at --port; never start one
      --port PORT          the model server's port (default 8080)
      --out DIR            where results go (default runs/bench/<time>-<suite>)
      --mbpp FILE          the MBPP JSON (default bench/data/mbpp/sanitized-mbpp.json, sha256-checked)
      --no-speed           skip the streamed-versus-raw speed probe
      --speculative LIST   speed arms: the same tasks once per speculative decoding mode, each on a server
                           started for it, e.g. off,ngram,draft; tuned n-gram or draft arms as
                           ngram-mod:n-match=16:n-max=32, ngram-simple:size-n=8, draft:n-max=8.
                           Runs one loop arm (default loop+checks); reports time to PASS, decode tokens/s
                           on first and retry turns, drafts accepted and the ratios against off
  -h, --help               this help

Fixed settings: temperature 0 (a Coder retry 0.7; with --speculative 0 too, so speculation changes
speed, not text), 768 tokens a turn, 10 s a program run.
Exit codes: 0 finished, 2 usage error, 3 model server unreachable, 130 interrupted.`;

const OPTIONS = {
  arms: { type: "string" },
  all: { type: "boolean" },
  quick: { type: "boolean" },
  limit: { type: "string" },
  concurrency: { type: "string" },
  "max-attempts": { type: "string", short: "n" },
  "llm-timeout": { type: "string" },
  model: { type: "string", short: "m" },
  "base-url": { type: "string" },
  "no-server": { type: "boolean" },
  port: { type: "string" },
  out: { type: "string" },
  mbpp: { type: "string" },
  "no-speed": { type: "boolean" },
  speculative: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** How many first Coder prompts the speed probe replays. */
const SPEED_SAMPLES = 3;

type Values = ReturnType<typeof parseFlags<typeof OPTIONS>>["values"];

/** Runs `factory bench ARGS`; returns the exit code. */
export async function benchCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags("bench", args, OPTIONS);
  if (values.help) {
    io.out(withCommand(BENCH_HELP, commandOf(io)) + "\n");
    return EXIT.passed;
  }
  if (positionals[0] === "report") return await reportCommand(positionals.slice(1), io);
  if (positionals.length > 1) throw new ConfigError(`bench: unexpected argument: ${positionals[1]}`);
  const plan = await planOf(positionals[0], values, io);
  const started = new Date();
  const stamp = started.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const runsDir = join(io.cwd, "runs", "bench", `${stamp}-${plan.suite}`);
  const out = values.out === undefined ? runsDir : resolve(io.cwd, values.out);
  await Deno.mkdir(out, { recursive: true });
  const jsonlPath = join(out, RESULT_FILES.jsonl);
  await Deno.writeTextFile(jsonlPath, "");
  const append = jsonlAppender(jsonlPath);
  let finished = 0;
  const total = plan.tasks.length * plan.arms.length * (plan.speedArms?.length ?? 1);
  const common: Common = {
    tasks: plan.tasks,
    arms: plan.arms,
    flags: plan.flags,
    concurrency: plan.concurrency,
    runsDir,
    signal: io.signal,
    onRecord: async (record) => {
      await append(record);
      io.err(progressLine(++finished, total, record));
    },
  };
  const run = { args, started, all: values.all ?? false, quick: values.quick ?? false };
  const t0 = performance.now();
  const { meta, outcome } = plan.speedArms
    ? await speedArmsRun(plan, common, run, io)
    : await armsRun(plan, common, run, values, io);
  if (!meta) return EXIT.interrupted;
  meta.totalMs = performance.now() - t0;
  const load = loadAverage();
  if (load !== undefined) meta.machine += ` and ${load} at the end`;
  const { markdown } = await writeReports(out, meta, plan.arms.map((a) => a.name), outcome.records);
  io.out(markdown);
  io.err(
    `results: ${
      join(out, RESULT_FILES.markdown)
    }, ${RESULT_FILES.svg}, ${RESULT_FILES.jsonl}; runs: ${runsDir}\n`,
  );
  return outcome.interrupted ? EXIT.interrupted : EXIT.passed;
}

/** What both kinds of benchmark run share. */
type Common = Omit<BenchOptions, "model" | "modelName">;
type Plan = Awaited<ReturnType<typeof planOf>>;
type RunInfo = { args: string[]; started: Date; all: boolean; quick: boolean };

/** The arms on one server; then the streamed-versus-raw speed probe unless `--no-speed`. */
async function armsRun(plan: Plan, common: Common, run: RunInfo, values: Values, io: CliIo) {
  await using connection = await connectModel(plan.config, {
    noServer: values["no-server"] ?? false,
    signal: io.signal,
    say: io.err,
    defaultModel: io.defaultModel,
    command: commandOf(io),
    ...(plan.concurrency > 1 ? { parallel: 2 * plan.concurrency } : {}),
  });
  const meta = await metaOf(plan, connection, run);
  io.err(
    `bench ${plan.suite}: ${plan.tasks.length} tasks × ${plan.arms.length} arms, concurrency ${plan.concurrency}\n`,
  );
  const outcome = await runBench({
    ...common,
    model: connection.model,
    modelFor: (worker) => connection.modelForPair?.(worker) ?? connection.model,
    modelName: meta.model,
    provenance: provenanceOf(connection, await resolveSandbox("auto")),
  });
  if (!values["no-speed"] && !outcome.interrupted && outcome.coderPrompts.length > 0) {
    try {
      meta.speed = await probe(outcome.coderPrompts, connection, plan.limits, io);
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      meta.speedError = error.message;
      io.err(`speed probe failed: ${error.message}\n`);
    }
  }
  return { meta, outcome };
}

/** One loop arm once per speed arm, each on a server started with that speculative decoding. */
async function speedArmsRun(plan: Plan, common: Common, run: RunInfo, io: CliIo) {
  let meta: BenchMeta | undefined;
  const outcome = await runSpeedBench({
    ...common,
    speedArms: plan.speedArms!,
    config: plan.config,
    connect: { say: io.err, defaultModel: io.defaultModel, command: commandOf(io) },
    provenance: async (connection) => provenanceOf(connection, await resolveSandbox("auto")),
    onArm: async (arm, connection) => {
      meta ??= await metaOf(plan, connection, run);
      io.err(`speed arm ${arm.label}: ${plan.tasks.length} tasks in ${plan.arms[0].name}\n`);
    },
  });
  if (meta) meta.speedArms = outcome.speedArms;
  return { meta, outcome };
}

/** `bench report DIR`: the reports rendered again from the results and settings kept in DIR. */
async function reportCommand(args: string[], io: CliIo): Promise<number> {
  if (args.length !== 1) throw new ConfigError("bench report: expected one results directory");
  const { markdown } = await rewriteReports(resolve(io.cwd, args[0]));
  io.out(markdown);
  return EXIT.passed;
}

/** The report's header facts. */
async function metaOf(plan: Plan, connection: Connection, run: RunInfo): Promise<BenchMeta> {
  const count = plan.tasks.length;
  const subset = run.quick ? "quick subset" : "fixed sample";
  return {
    suite: plan.suite,
    selection: plan.suite === "mbpp" && !run.all ? `${subset} (${count} tasks)` : `${count} tasks`,
    model: connection.modelName.split("/").at(-1) ?? connection.modelName,
    server: await describeServer(connection.baseUrl),
    limits: plan.limits,
    concurrency: plan.concurrency,
    command: `deno task bench ${run.args.join(" ")}`,
    date: run.started.toISOString(),
    machine: describeMachine(),
  };
}

/** What to run: the suite, its tasks, the arms, the limits and the server config. */
async function planOf(suiteName: string | undefined, values: Values, io: CliIo) {
  const suite = parseSuite(suiteName);
  const speedArms = values.speculative === undefined ? undefined : parseSpeedArms(values.speculative);
  const arms = armsOf(values, speedArms !== undefined);
  const concurrency = numberFlag("concurrency", values.concurrency, { min: 1, integer: true }) ?? 1;
  const maxAttempts = numberFlag("max-attempts", values["max-attempts"], { min: 1, integer: true });
  const llmTimeoutSec = numberFlag("llm-timeout", values["llm-timeout"], { min: 1 });
  const flags = checkPartialConfig({
    server: {
      model: values.model,
      baseUrl: values["base-url"],
      port: numberFlag("port", values.port, { min: 1, integer: true }),
    },
    // Speed arms compare texts: greedy retries too, so speculation can change only the speed.
    agent: { maxAttempts, llmTimeoutSec, retryTemperature: speedArms === undefined ? undefined : 0 },
  }, "Invalid flag");
  const tasks = await loadSuite(suite, {
    all: values.all,
    quick: values.quick,
    limit: numberFlag("limit", values.limit, { min: 1, integer: true }),
    mbppPath: values.mbpp === undefined ? undefined : resolve(io.cwd, values.mbpp),
    examplesDir: join(io.cwd, "examples"),
  });
  return {
    suite,
    arms,
    concurrency,
    flags,
    limits: benchLimits(flags),
    tasks,
    config: resolveConfig({ flags }),
    speedArms,
  };
}

/** The loop arms: every arm, or `--arms`; a speed run takes one (default loop+checks) and its own servers. */
function armsOf(values: Values, speed: boolean) {
  if (!speed) return values.arms === undefined ? [...DEFAULT_ARMS] : parseArms(values.arms);
  if (values["no-server"] || values["base-url"]) {
    throw new ConfigError(
      "bench --speculative starts a server for each speed arm: drop --no-server and --base-url",
    );
  }
  const arms = values.arms === undefined
    ? ARMS.filter((a) => a.name === "loop+checks")
    : parseArms(values.arms);
  if (arms.length !== 1) throw new ConfigError("bench --speculative runs one loop arm: name one with --arms");
  return arms;
}

async function probe(
  prompts: ChatMessage[][],
  connection: Connection,
  limits: Limits,
  io: CliIo,
): Promise<SpeedReport> {
  const sample = prompts.slice(0, SPEED_SAMPLES);
  io.err(`speed probe: ${sample.length} prompts, streamed and raw\n`);
  return await speedProbe(sample, {
    model: connection.model,
    baseUrl: connection.baseUrl,
    modelName: connection.modelName,
    maxTokens: limits.maxTokensPerTurn,
    temperature: limits.temperature,
    timeoutMs: turnTimeCapMs(limits, limits.maxTokensPerTurn),
    signal: io.signal,
  });
}
