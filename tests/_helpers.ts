/**
 * Shared test helpers: a scripted in-process model, reply builders and limits for loop tests.
 */
import type { ChatModel, ChatRequest, FinishReason, Limits, ModelReply, Task } from "../lib/types.ts";
import { ModelError } from "../lib/errors.ts";

/** One scripted model reply. */
export type Scripted =
  | string
  | {
    text: string;
    finishReason?: FinishReason;
    usage?: { prompt: number; completion: number };
    hang?: false;
  }
  | { hang: true }
  | { error: ModelError };

/** A model that answers from a script, in order, and records every request. */
export interface ScriptedModel extends ChatModel {
  requests: ChatRequest[];
  /** Replies not used yet. */
  remaining(): number;
}

/** Builds a scripted model. Each reply is streamed to `onToken` in a few pieces. */
export function scriptedModel(script: Scripted[]): ScriptedModel {
  const queue = [...script];
  const requests: ChatRequest[] = [];
  return {
    requests,
    remaining: () => queue.length,
    async chat(request) {
      requests.push(request);
      const next = queue.shift();
      if (next === undefined) throw new Error(`scriptedModel: no reply left for request ${requests.length}`);
      if (typeof next === "object" && "error" in next) throw next.error;
      if (typeof next === "object" && "hang" in next && next.hang) return await hang(request);
      const item = typeof next === "string" ? { text: next } : next;
      await Promise.resolve();
      if (request.signal?.aborted) throw request.signal.reason;
      for (const piece of item.text.match(/[\s\S]{1,16}/g) ?? []) request.onToken?.(piece);
      return reply(item.text, item.finishReason ?? "stop", item.usage);
    },
  };
}

/** A server that never answers: the call fails like the real client's after the stall limit. */
function hang(request: ChatRequest): Promise<ModelReply> {
  const stallMs = request.stallMs ?? request.timeoutMs;
  return new Promise((_, reject) => {
    const timer = setTimeout(() => {
      request.signal?.removeEventListener("abort", onAbort);
      reject(new ModelError(`Model server sent no answer within ${stallMs / 1000} s`, "timeout"));
    }, stallMs);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DOMException("Aborted", "AbortError"));
    };
    request.signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** A model reply value. */
export function reply(
  text: string,
  finishReason: FinishReason = "stop",
  usage: { prompt: number; completion: number } = { prompt: 100, completion: 50 },
): ModelReply {
  return {
    text,
    finishReason,
    usage: {
      promptTokens: usage.prompt,
      completionTokens: usage.completion,
      cachedTokens: 0,
      estimated: false,
    },
    ms: 5,
  };
}

/** A Coder reply holding one fenced program. */
export function coderReply(code: string, language = "python"): string {
  return `Here is the program.\n\n\`\`\`${language}\n${code}\n\`\`\`\n`;
}

/** A Sheriff reply in the strict format. */
export function sheriffReply(verdict: "PASS" | "FAIL", analysis = "Looks right.", fix = "none"): string {
  return `VERDICT: ${verdict}\nANALYSIS: ${analysis}\nFIX: ${fix}\n`;
}

/** Limits small enough for tests. */
export function testLimits(overrides: Partial<Limits> = {}): Limits {
  return {
    maxAttempts: 3,
    executionTimeoutMs: 10_000,
    llmTimeoutMs: 5_000,
    maxTokensPerTurn: 512,
    totalTokenBudget: 100_000,
    temperature: 0,
    stagnationThreshold: 3,
    ...overrides,
  };
}

/** A Python task with optional checks. */
export function pyTask(overrides: Partial<Task> = {}): Task {
  return {
    name: "fibonacci",
    description: "Print the first 10 Fibonacci numbers, one per line, starting 0 1.",
    constraints: [],
    language: "python",
    checks: {},
    ...overrides,
  };
}

/** A fresh temp dir removed by the returned disposer. */
export async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "factory-test-" });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

/** True when a process with this pid exists (and is not a zombie). */
export function processAlive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

export const FIB_PROGRAM = `a, b = 0, 1
for _ in range(10):
    print(a)
    a, b = b, a + b`;

export const FIB_OUTPUT = "0\n1\n1\n2\n3\n5\n8\n13\n21\n34";
