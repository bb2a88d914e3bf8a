/**
 * The domain types shared by every part of factory. Results and events are closed discriminated
 * unions: switch on `kind` and end with an exhaustive `never` default.
 *
 * @module
 */

/** The languages a task's program can be written in. */
export type Language = "python" | "typescript";

/** The model-server engines factory can drive. */
export const ENGINE_NAMES = ["llama.cpp", "mlx", "ollama", "openai"] as const;

/** One of {@linkcode ENGINE_NAMES}. */
export type EngineName = typeof ENGINE_NAMES[number];

/** What `server.engine` may say: an engine, or `auto` to pick one from what is installed. */
export const ENGINE_CHOICES = ["auto", ...ENGINE_NAMES] as const;

/** One of {@linkcode ENGINE_CHOICES}. */
export type EngineChoice = typeof ENGINE_CHOICES[number];

/** What `server.speculative` may say: `auto` picks the fastest mode measured for the engine. */
export const SPECULATIVE_CHOICES = ["auto", "off", "ngram", "draft"] as const;

/** One of {@linkcode SPECULATIVE_CHOICES}. */
export type SpeculativeChoice = typeof SPECULATIVE_CHOICES[number];

/**
 * A speculative decoding mode in effect: `off`; `ngram`, prompt lookup (tokens drafted from n-grams of
 * the prompt and the reply so far); `draft`, a small model of the same family drafting for the big one.
 */
export type SpeculativeMode = Exclude<SpeculativeChoice, "auto">;

/** The values of the `sandbox` setting. */
export const SANDBOX_MODES = ["auto", "require", "off"] as const;

/**
 * `auto`: the strongest sandbox available, with a one-line warning when there is none; `require`: refuse
 * to run programs without one; `off`: no OS sandbox (rlimits, a scrubbed environment and Deno's
 * permissions only).
 */
export type SandboxMode = typeof SANDBOX_MODES[number];

/** The sandbox mode used when none is set. */
export const DEFAULT_SANDBOX_MODE: SandboxMode = "auto";

/** Deterministic checks a task can ask for, run after the program. */
export interface Checks {
  /** The whole stdout must equal this, both whitespace-trimmed. */
  stdout?: string;
  /** Each string must occur in stdout. */
  stdoutContains?: string[];
  /** stdout must match this regular expression (JavaScript syntax). */
  stdoutMatches?: string;
  /** These relative paths must exist in the work dir after the run; the `test` check gets copies of them. */
  files?: string[];
  /**
   * A program in the task's language, run after the script in a fresh dir beside a copy of the program as
   * written (importable as `main`) and copies of `files`; it passes when it runs to its end and exits 0.
   */
  test?: string;
}

/**
 * One example a program's functions must satisfy, read from a task's description (or a test program).
 * Sources are code in the task's language, as written.
 */
export type Example =
  /** `actual` must equal `expected` (Python `==`; a deep equality in TypeScript). */
  | { kind: "equal"; actual: string; expected: string }
  /** `condition` must be true (a bare `assert`); with `negated`, `condition` must be false. */
  | { kind: "true"; condition: string; negated: boolean }
  /** Running `source` must show `output`, as an interactive session would (doctest, `// =>`). */
  | { kind: "shows"; source: string; output: string }
  /** Running `source` must raise the exception named `error`. */
  | { kind: "raises"; source: string; error: string }
  /** A statement the following examples need (an import, an assignment); not an example itself. */
  | { kind: "setup"; source: string };

/** A `test` check factory wrote from the examples in a task's description. */
export interface DerivedChecks {
  /** Where the examples were found. */
  from: "description";
  /** The examples in order, setup statements included; `checks.test` runs exactly these. */
  examples: Example[];
}

/** A task after validation: what the Coder must build and how the result is checked. */
export interface Task {
  /** A safe slug: lowercase letters, digits and dashes only; never a path. */
  name: string;
  /** What the program must do, in the user's words. */
  description: string;
  /** Extra rules for the Coder, one per line. */
  constraints: string[];
  /** The language the program is written in. */
  language: Language;
  /** Overrides `agent.max_attempts` when set. */
  maxAttempts?: number;
  /** Overrides `agent.execution_timeout` (seconds) when set. */
  timeoutSec?: number;
  /** Deterministic checks run after the program; `{}` for none. */
  checks: Checks;
  /** Set when `checks.test` was written by factory from the description's examples. */
  derived?: DerivedChecks;
}

/** Limits that stop the loop; every field is a hard limit. */
export interface Limits {
  /** Coder → run → Sheriff rounds before giving up. */
  maxAttempts: number;
  /** Wall-clock limit for one program run, in milliseconds. */
  executionTimeoutMs: number;
  /**
   * The stall limit of a model call, in milliseconds: a turn that receives no token for this long is
   * stopped and keeps what arrived. Each turn is also capped at this plus `max_tokens` at a floor speed
   * (see `turnTimeCapMs`).
   */
  llmTimeoutMs: number;
  /** `max_tokens` sent with every model call. */
  maxTokensPerTurn: number;
  /** Prompt + completion tokens over the whole run. */
  totalTokenBudget: number;
  /** Sampling temperature of every model call but a Coder retry's. */
  temperature: number;
  /**
   * Sampling temperature of the Coder's retries (attempt 2 on): at temperature 0 a small model mostly
   * sends the same program again, so a retry samples.
   */
  retryTemperature: number;
  /** The same error signature or script this many times in a row stops the run. */
  stagnationThreshold: number;
}

// ---------------------------------------------------------------------------------------------
// Model

/** One chat message. */
export interface ChatMessage {
  /** Who speaks. */
  role: "system" | "user" | "assistant";
  /** The message text. */
  content: string;
}

/** Token usage of one model call. `estimated` is true when the server reported none. */
export interface Usage {
  /** Tokens of the prompt, cached ones included. */
  promptTokens: number;
  /** Tokens the model wrote. */
  completionTokens: number;
  /** Prompt tokens served from the server's prompt cache, when it says. */
  cachedTokens: number;
  /** True when the counts are a local estimate (the server reported none). */
  estimated: boolean;
}

/**
 * Why the model stopped writing: `length` means it hit `max_tokens`; `time_limit` means the client
 * stopped it (no token for the stall limit, or the turn's time cap) and kept what had arrived.
 */
export type FinishReason = "stop" | "length" | "time_limit" | "other";

/** A finished model reply. */
export interface ModelReply {
  /** The whole reply text. */
  text: string;
  /** Why the model stopped: `length` means it hit `max_tokens`. */
  finishReason: FinishReason;
  /** Token usage of the call. */
  usage: Usage;
  /** Wall time of the call, in milliseconds. */
  ms: number;
  /** Server-side timings when the server reports them (llama-server's `timings`). */
  timings?: {
    /** Time spent reading the prompt. */
    prefillMs: number;
    /** Time spent writing the reply. */
    decodeMs: number;
    /** Speculative decoding: tokens drafted for this reply (llama-server's `draft_n`), when any were. */
    draftTokens?: number;
    /** Speculative decoding: drafted tokens the model accepted (`draft_n_accepted`). */
    draftAccepted?: number;
  };
}

/** One request to the model. */
export interface ChatRequest {
  /** The conversation so far. */
  messages: ChatMessage[];
  /** `max_tokens` of the call. */
  maxTokens: number;
  /** Sampling temperature of the call. */
  temperature: number;
  /**
   * The turn's time cap in milliseconds. When it passes, or no token arrives for `stallMs`, the call is
   * stopped and resolves with what arrived (finish reason `time_limit`). A server that sends no answer at
   * all (not even response headers) within `stallMs` fails the call with a `ModelError` "timeout".
   */
  timeoutMs: number;
  /** The longest wait for the next token, in milliseconds. @default {timeoutMs} */
  stallMs?: number;
  /** Aborting it aborts the call with an AbortError. */
  signal?: AbortSignal;
  /** Receives each streamed piece of text as it arrives. */
  onToken?: (text: string) => void;
  /** Which persona asks; a client that pins personas to server slots reads it. */
  persona?: Persona;
}

/**
 * The narrow interface the agents use to talk to a model. Throws `ModelError` when the server is
 * unreachable, answers an error, or the call times out; a `DOMException` "AbortError" when `signal`
 * aborts.
 */
export interface ChatModel {
  /** Sends one chat request and resolves with the finished reply. */
  chat(request: ChatRequest): Promise<ModelReply>;
}

// ---------------------------------------------------------------------------------------------
// Coder

/** What the Coder produced in one turn. */
export type Draft =
  | { kind: "code"; code: string; reply: ModelReply }
  /** The reply hit max_tokens inside an unclosed fence: never run. */
  | { kind: "truncated"; partial: string; reply: ModelReply }
  /** The reply held no code block at all. */
  | { kind: "no_code"; reply: ModelReply };

// ---------------------------------------------------------------------------------------------
// Execution

/** Captured output of a stream, capped in bytes keeping head and tail. */
export interface Captured {
  /** The kept text; when truncated, head and tail joined by a marker line. */
  text: string;
  /** How many bytes the program wrote in total. */
  bytes: number;
  /** True when bytes were left out of `text`. */
  truncated: boolean;
}

/**
 * Something factory itself noted about a run: a limit that stopped or killed the program, what happened
 * to its work dir. Carried beside the program's output, never inside it, so no output can imitate it.
 */
export interface RunNote {
  /** `limit`: a bound stopped or killed (part of) the program; `work_dir`: its work dir hit a bound or held what cannot be kept. */
  kind: "limit" | "work_dir";
  /** One sentence, e.g. "its work dir passed the disk quota of 32 MiB". */
  text: string;
}

/** What factory measured and noted about a run that started. */
export interface RunFacts {
  /** factory's own notes on the run, in order; absent or empty when there are none. */
  notes?: RunNote[];
  /** The most memory the run held at once, all its processes together (when a control group measured it). */
  peakMemoryBytes?: number;
}

/** How one program run ended. Always a value, never an exception. */
export type ExecResult =
  | { kind: "exited"; code: number; stdout: Captured; stderr: Captured; ms: number } & RunFacts
  | { kind: "timed_out"; afterMs: number; stdout: Captured; stderr: Captured } & RunFacts
  /** The run was stopped by the caller's AbortSignal (Ctrl-C, SIGTERM). */
  | { kind: "interrupted"; afterMs: number; stdout: Captured; stderr: Captured } & RunFacts
  /** The program was not run at all (for example: no sandbox when one is required). */
  | { kind: "refused"; reason: string };

/** One deterministic check's outcome. */
export interface CheckResult {
  /** `stdout`, `stdout_contains`, `stdout_matches`, `files` or `test`. */
  name: string;
  /** Whether the check held. */
  passed: boolean;
  /** What was expected and what was found, in one short line or a few. */
  detail: string;
}

// ---------------------------------------------------------------------------------------------
// Sheriff and verdict

/** What the Sheriff said about one attempt. */
export type SheriffOpinion =
  | { kind: "verdict"; verdict: "PASS" | "FAIL"; analysis: string; fix: string; reply: ModelReply }
  /** The reply did not follow the format: counts as FAIL, never PASS. */
  | { kind: "unparsable"; error: string; reply: ModelReply }
  /** The Sheriff was not asked (no program to review). */
  | { kind: "skipped"; reason: string };

/** The decision on one attempt: facts (exit code, timeout, checks) overrule the Sheriff. */
export interface Verdict {
  /** True only when the facts are clean and the Sheriff said PASS. */
  passed: boolean;
  /** True when the Sheriff said PASS but the facts disagree. */
  overruled: boolean;
  /** Why the attempt failed, one line each; empty when it passed. */
  reasons: string[];
}

/** One full Coder → run → Sheriff round. */
export interface Attempt {
  /** 1 for the first attempt. */
  number: number;
  /** What the Coder wrote. */
  draft: Draft;
  /** Undefined when there was no program to run. */
  exec?: ExecResult;
  /** The task's checks on this run; empty when there are none or nothing ran. */
  checks: CheckResult[];
  /** What the Sheriff said. */
  sheriff: SheriffOpinion;
  /** The decision on this attempt. */
  verdict: Verdict;
  /** The normalised error signature used for stagnation, when the run failed. */
  signature?: string;
  /** Where this attempt's program and work dir live. */
  workDir: string;
  /** True when the Coder sent the same program as in the attempt before (its retry changed nothing). */
  unchanged?: boolean;
  /** Wall time of the attempt, in milliseconds. */
  ms: number;
}

// ---------------------------------------------------------------------------------------------
// Run result

/** Why the loop stopped. */
export type StopReason =
  | "passed"
  | "max_attempts"
  | "stagnation"
  | "token_budget"
  | "interrupted"
  | "model_error";

/** How the run ended overall. */
export type RunStatus = "passed" | "failed" | "error" | "interrupted";

/** Token totals over a run. */
export interface TokenTotals {
  /** Prompt tokens over all calls. */
  prompt: number;
  /** Completion tokens over all calls. */
  completion: number;
  /** Prompt tokens served from the server's cache. */
  cached: number;
  /** True when any call's usage was estimated locally. */
  estimated: boolean;
}

/** Wall-time split over a run, in milliseconds. */
export interface Durations {
  /** From the start of the run to its end. */
  totalMs: number;
  /** Waiting for the model, failed calls included. */
  modelMs: number;
  /** Running programs and their checks. */
  execMs: number;
  /** Everything else: prompts, parsing, files, events. */
  orchestrationMs: number;
}

/** The OS sandbox a run's programs ran in. */
export type SandboxUsed = "bubblewrap" | "sandbox-exec" | "none";

/**
 * What ran a run, decided by the setup layer and recorded with it (`run.json`, `summary.json`), so runs
 * can be compared by model and read from anywhere.
 */
export interface RunProvenance {
  /** The model the server was asked for: a GGUF path, a repository id, a tag, a server's model id. */
  model: string;
  /** The engine that served it; `openai` for a server factory did not start. */
  engine: string;
  /** The server's OpenAI-compatible base URL. */
  serverUrl: string;
  /** factory's version (`deno.json`). */
  factoryVersion: string;
  /** The OS sandbox the programs ran in. */
  sandbox: SandboxUsed;
}

/** The outcome of `runTask`. */
export interface RunResult {
  /** The run's id, also the name of its artifacts directory. */
  runId: string;
  /** The task as run. */
  task: Task;
  /** How the run ended. */
  status: RunStatus;
  /** Which limit or outcome stopped it. */
  stopReason: StopReason;
  /** A human sentence on why it stopped. */
  stopDetail: string;
  /** Every attempt, in order. */
  attempts: Attempt[];
  /** Tokens over the run. */
  tokens: TokenTotals;
  /** Where the time went. */
  durations: Durations;
  /** Path of the last program written (the passing one when passed), usable from the working directory. */
  finalScript?: string;
  /** The run's artifacts directory, when artifacts were kept. */
  dir?: string;
  /** When the run started, ISO 8601 (runs read back from before it was recorded lack it). */
  startedAt?: string;
  /** When the run ended, ISO 8601. */
  endedAt?: string;
  /** The limits it ran with. */
  limits?: Limits;
  /** What ran it, when the caller said (the CLI, the notebooks and the benchmark do). */
  provenance?: RunProvenance;
}

/** A run's outcome in one small record (its `summary.json`), built from the result alone. */
export interface Summary {
  /** The run's id (its directory name). */
  runId: string;
  /** The task's name (a slug). */
  task: string;
  /** The program's language. */
  language: string;
  /** passed | failed | error | interrupted. */
  status: RunStatus;
  /** What stopped the loop. */
  stopReason: StopReason;
  /** Why, in a sentence. */
  stopDetail: string;
  /** How many attempts were made. */
  attempts: number;
  /** The attempt that passed, when one did. */
  passedOnAttempt?: number;
  /** Attempts where the Sheriff said PASS and the facts overruled it. */
  overruledVerdicts: number;
  /** Tokens over the run. */
  tokens: TokenTotals;
  /** Model, execution and orchestration time. */
  durations: Durations;
  /** Path of the last program written (the passing one when passed), relative to the run's directory. */
  finalScript?: string;
  /** When the run started, ISO 8601. */
  startedAt?: string;
  /** When the run ended, ISO 8601. */
  endedAt?: string;
  /** The limits it ran with. */
  limits?: Limits;
  /** What ran it: model, engine, server URL, factory's version, sandbox. */
  provenance?: RunProvenance;
}

// ---------------------------------------------------------------------------------------------
// Events

/** Which persona a model call belongs to. */
export type Persona = "coder" | "sheriff";

/** Everything the loop reports while it runs, in order. */
export type RunEvent =
  | {
    kind: "run_start";
    runId: string;
    task: Task;
    limits: Limits;
    dir?: string;
    startedAt?: string;
    provenance?: RunProvenance;
  }
  | {
    kind: "coder_start";
    attempt: number;
    /** Set when the Coder is asked again within the attempt: why (its retry repeated the failing program). */
    again?: string;
  }
  | { kind: "coder_token"; attempt: number; text: string }
  | { kind: "coder_done"; attempt: number; draft: Draft }
  | { kind: "exec_start"; attempt: number; language: Language; workDir: string }
  | { kind: "exec_done"; attempt: number; result: ExecResult }
  | { kind: "checks"; attempt: number; results: CheckResult[] }
  | { kind: "sheriff_start"; attempt: number }
  | { kind: "sheriff_token"; attempt: number; text: string }
  | { kind: "sheriff_done"; attempt: number; opinion: SheriffOpinion }
  | { kind: "verdict"; attempt: number; verdict: Verdict }
  | {
    kind: "model_call";
    attempt: number;
    persona: Persona;
    messages: ChatMessage[];
    reply?: ModelReply;
    error?: string;
  }
  | { kind: "stop"; result: RunResult };

/** Receives events; may be async (the loop awaits it). */
export type EventSink = (event: RunEvent) => void | Promise<void>;

// ---------------------------------------------------------------------------------------------
// Running programs

/** Runs one program in its work dir, and the task's checks after it. */
export interface Executor {
  /** Runs one program in `dir` within `timeoutMs` milliseconds; a timeout or failure is in the result. */
  execute(
    program: { language: Language; code: string; dir: string },
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<ExecResult>;
  /** Runs the task's checks against a finished run, one result per check. */
  runChecks(
    checks: Checks,
    result: ExecResult,
    context: {
      dir: string;
      language: Language;
      timeoutMs: number;
      signal?: AbortSignal;
      /** The program as kept: the `test` check imports this copy, never the work dir's file. */
      program?: string;
    },
  ): Promise<CheckResult[]>;
}
