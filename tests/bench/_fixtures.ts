/**
 * Fixtures for the benchmark tests: a small MBPP-shaped record, its reference and broken programs, and
 * a fake model that answers by persona (so it works at any concurrency).
 */
import type { ChatRequest } from "../../lib/types.ts";
import type { MbppRecord } from "../../lib/bench/mbpp.ts";
import type { CallObservation } from "../../lib/bench/observer.ts";
import type { AttemptRecord, BenchRecord } from "../../lib/bench/record.ts";
import { coderReply, type ScriptedModel, scriptedModel, sheriffReply } from "../_fakes.ts";

/** A record in the data set's shape: one visible assert, two hidden ones. */
export const REMOVE_OCC: MbppRecord = {
  taskId: 11,
  prompt: "Write a python function to remove first and last occurrence of a given character from the string.",
  code: "def remove_Occ(s,ch): \n    for i in range(len(s)): \n        if (s[i] == ch): \n" +
    "            s = s[0 : i] + s[i + 1:] \n            break\n    for i in range(len(s) - 1,-1,-1):  \n" +
    "        if (s[i] == ch): \n            s = s[0 : i] + s[i + 1:] \n            break\n    return s ",
  testImports: [],
  tests: [
    'assert remove_Occ("hello","l") == "heo"',
    'assert remove_Occ("abcda","a") == "bcd"',
    'assert remove_Occ("PHP","P") == "H"',
  ],
};

/** Passes every assert. */
export const REMOVE_OCC_GOOD = `def remove_Occ(s, ch):
    i = s.find(ch)
    if i >= 0:
        s = s[:i] + s[i + 1:]
    j = s.rfind(ch)
    if j >= 0:
        s = s[:j] + s[j + 1:]
    return s

if __name__ == "__main__":
    print(remove_Occ("hello", "l"))`;

/** Passes the first (visible) assert only, by hard-coding its answer. */
export const REMOVE_OCC_BROKEN = `def remove_Occ(s, ch):
    if s == "hello":
        return "heo"
    return s

print(remove_Occ("hello", "l"))`;

/** What a fake persona answers for one request. */
export type Answer = (request: ChatRequest, turn: number) => string;

/**
 * A model that tells the personas apart by their system prompt and answers each with `coder` or
 * `sheriff`, passing the persona's turn number (1, 2, ...); a request without a system prompt (the raw
 * arm) goes to `raw`, by default `coder`. Usage and timings are made up but present.
 */
export function personaModel(coder: Answer, sheriff: Answer, raw: Answer = coder): ScriptedModel {
  const turns = { coder: 0, sheriff: 0, raw: 0 };
  return scriptedModel((request) => {
    const persona = request.messages[0].role !== "system"
      ? "raw"
      : request.messages[0].content.startsWith("You are the Coder")
      ? "coder"
      : "sheriff";
    const text = persona === "raw"
      ? raw(request, ++turns.raw)
      : persona === "coder"
      ? coder(request, ++turns.coder)
      : sheriff(request, ++turns.sheriff);
    return {
      text,
      usage: { promptTokens: 200, completionTokens: 50, cachedTokens: request.messages.length > 2 ? 150 : 0 },
      ms: 30,
      timings: { prefillMs: 10, decodeMs: 15 },
    };
  });
}

export { coderReply, sheriffReply };

/** A model call observation with made-up numbers. */
export function call(overrides: Partial<CallObservation> = {}): CallObservation {
  return {
    attempt: 1,
    persona: "coder",
    promptTokens: 200,
    completionTokens: 100,
    cachedTokens: 0,
    prefillMs: 1000,
    decodeMs: 4000,
    timed: true,
    ms: 5050,
    finishReason: "stop",
    ...overrides,
  };
}

/** An attempt record with made-up numbers. */
export function attemptRecord(overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    n: 1,
    draft: "code",
    truth: true,
    truthDetail: "all 3 asserts passed",
    sheriff: "PASS",
    loopPassed: true,
    imitation: null,
    wallMs: 5150,
    prefillMs: 1000,
    decodeMs: 4000,
    modelMs: 5050,
    waitMs: 50,
    execMs: 60,
    overheadMs: 40,
    calls: [call()],
    ...overrides,
  };
}

/** A task record with made-up numbers. */
export function benchRecord(overrides: Partial<BenchRecord> = {}): BenchRecord {
  const attemptDetails = overrides.attemptDetails ?? [attemptRecord()];
  return {
    suite: "mbpp",
    taskId: "11",
    arm: "loop",
    model: "fake.gguf",
    passed: true,
    claimed: true,
    hasChecks: false,
    derivedExamples: 0,
    status: "passed",
    stopReason: "passed",
    attempts: attemptDetails.length,
    wallMs: 5250,
    prefillMs: 1000,
    decodeMs: 4000,
    modelMs: 5050,
    waitMs: 50,
    execMs: 60,
    overheadMs: 140,
    tokens: { prompt: 200, completion: 100, cached: 0 },
    truthDetail: "all 3 asserts passed",
    attemptDetails,
    ...overrides,
  };
}
