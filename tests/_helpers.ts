/**
 * Shared test helpers that are not fakes: limits and a task for loop tests, temp dirs, process checks
 * and a known program with its output. The fakes (scripted model, fake executor, fake clock, reply
 * builders) are in `_fakes.ts`.
 */
import type { Limits, Task } from "../lib/types.ts";

/** Limits small enough for tests. */
export function testLimits(overrides: Partial<Limits> = {}): Limits {
  return {
    maxAttempts: 3,
    executionTimeoutMs: 10_000,
    llmTimeoutMs: 5_000,
    maxTokensPerTurn: 512,
    totalTokenBudget: 100_000,
    temperature: 0,
    retryTemperature: 0,
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
