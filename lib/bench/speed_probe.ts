/**
 * Our streamed turns against the same server's raw speed on the same prompt. For each sample prompt:
 * one raw request to warm the prompt cache, then the turn through factory's client (streamed, as the
 * loop makes it), then the same request raw (`stream: false`, straight `fetch`). Both measured turns
 * find the prompt cached, so the comparison is of generation and delivery, not of prefill.
 *
 * @module
 */
import type { ChatMessage, ChatModel } from "../types.ts";
import { ModelError } from "../errors.ts";
import { median, ratio } from "./stats.ts";

/** One measured request. */
export interface SpeedRun {
  ms: number;
  completionTokens: number;
  /** Completion tokens per second of wall time. */
  tokensPerSec: number;
  /** Completion tokens per second of the server's decode time; NaN without timings. */
  decodeTokensPerSec: number;
}

/** One prompt measured both ways. */
export interface SpeedSample {
  promptTokens: number;
  streamed: SpeedRun;
  raw: SpeedRun;
}

/** The probe's result. */
export interface SpeedReport {
  samples: SpeedSample[];
  /** Medians over the samples. */
  streamedTokensPerSec: number;
  rawTokensPerSec: number;
  /** streamed / raw. */
  ratio: number;
}

/** What the probe needs. */
export interface SpeedProbeOptions {
  /** factory's client, as the loop uses it. */
  model: ChatModel;
  /** The server's OpenAI API root, e.g. `http://127.0.0.1:8080/v1`. */
  baseUrl: string;
  /** The model id sent with raw requests. */
  modelName: string;
  maxTokens: number;
  temperature: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** @default {globalThis.fetch} */
  fetch?: typeof fetch;
  /** @default {performance.now} */
  now?: () => number;
}

/** Measures each prompt in `prompts` streamed and raw. */
export async function speedProbe(prompts: ChatMessage[][], options: SpeedProbeOptions): Promise<SpeedReport> {
  const samples: SpeedSample[] = [];
  for (const messages of prompts) {
    await rawRequest(messages, options);
    const streamed = await streamedRequest(messages, options);
    const raw = await rawRequest(messages, options);
    samples.push({ promptTokens: raw.promptTokens, streamed, raw: raw.run });
  }
  const streamedTokensPerSec = median(samples.map((s) => s.streamed.tokensPerSec));
  const rawTokensPerSec = median(samples.map((s) => s.raw.tokensPerSec));
  return {
    samples,
    streamedTokensPerSec,
    rawTokensPerSec,
    ratio: ratio(streamedTokensPerSec, rawTokensPerSec),
  };
}

async function streamedRequest(messages: ChatMessage[], options: SpeedProbeOptions): Promise<SpeedRun> {
  const reply = await options.model.chat({
    messages,
    maxTokens: options.maxTokens,
    temperature: options.temperature,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    onToken: () => {},
  });
  return run(reply.ms, reply.usage.completionTokens, reply.timings?.decodeMs);
}

async function rawRequest(
  messages: ChatMessage[],
  options: SpeedProbeOptions,
): Promise<{ run: SpeedRun; promptTokens: number }> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const body = await postChat({
    model: options.modelName,
    messages,
    max_tokens: options.maxTokens,
    temperature: options.temperature,
    stream: false,
  }, options) as {
    usage?: { prompt_tokens?: number; completion_tokens?: number };
    timings?: { predicted_ms?: number };
  };
  const ms = now() - started;
  return {
    run: run(ms, body.usage?.completion_tokens ?? 0, body.timings?.predicted_ms),
    promptTokens: body.usage?.prompt_tokens ?? 0,
  };
}

/** POSTs a chat completion request and returns the parsed JSON body; failures become a `ModelError`. */
async function postChat(request: unknown, options: SpeedProbeOptions): Promise<unknown> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const response = await (options.fetch ?? fetch)(`${options.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
      signal,
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new ModelError(`Speed probe request failed: the server answered ${response.status}`, "http");
    }
    return await response.json();
  } catch (error) {
    if (error instanceof ModelError || options.signal?.aborted) throw error;
    const detail = (error as Error).message;
    throw new ModelError(`Speed probe request to ${options.baseUrl} failed: ${detail}`, "unreachable", {
      cause: error,
    });
  }
}

function run(ms: number, completionTokens: number, decodeMs: number | undefined): SpeedRun {
  return {
    ms: Math.round(ms),
    completionTokens,
    tokensPerSec: ratio(completionTokens, ms / 1000),
    decodeTokensPerSec: decodeMs === undefined ? NaN : ratio(completionTokens, decodeMs / 1000),
  };
}
