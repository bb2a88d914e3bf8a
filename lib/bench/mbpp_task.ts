/**
 * MBPP tasks as the loop sees them. The task text is the prompt sentence plus the function's name and
 * parameters: the name is the function the first assert calls, the parameters come from that function's
 * `def` line in the reference solution (or, failing that, `arg1, arg2, ...` by the call's arity). Every
 * assert is the hidden ground truth. Only the first is ever shown: written into the task text as an
 * example in the `loop+derived` arm (factory derives its check from it), or as the visible `test` check
 * in the `loop+checks` arm.
 *
 * @module
 */
import type { Task } from "../types.ts";
import type { BenchTask } from "./bench_task.ts";
import type { MbppRecord } from "./mbpp.ts";

/** The function a task asks for: its name and its parameter list as written in Python. */
export interface FunctionSignature {
  name: string;
  /** Parameters joined by ", ", for example `s, ch` or `array, start=0, end=None`. */
  params: string;
}

/** Top-level `def` lines of `code`: each function's name and parameter text. */
export function topLevelDefs(code: string): Map<string, string> {
  const defs = new Map<string, string>();
  for (const match of code.matchAll(/^def[ \t]+([A-Za-z_]\w*)[ \t]*\(/gm)) {
    const params = balancedTail(code, match.index + match[0].length);
    if (params !== undefined && !defs.has(match[1])) defs.set(match[1], params);
  }
  return defs;
}

/** The text from `start` up to the parenthesis closing the one just before it. */
function balancedTail(text: string, start: number): string | undefined {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    if ("([{".includes(text[i])) depth++;
    if (")]}".includes(text[i]) && --depth === 0) return text.slice(start, i);
  }
  return undefined;
}

/** Splits `text` at commas outside brackets and strings, trimming each part and dropping empty ones. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote && c === "\\") {
      current += c + (text[i + 1] ?? "");
      i++;
      continue;
    }
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (c === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
      continue;
    }
    current += c;
  }
  parts.push(current.trim());
  return parts.filter((part) => part !== "");
}

/**
 * The function the first assert calls, among the reference solution's top-level functions, with its
 * parameters. Throws a `RangeError` when the first assert calls none of them (never the case in MBPP).
 */
export function functionSignature(record: MbppRecord): FunctionSignature {
  const defs = topLevelDefs(record.code);
  const first = record.tests[0];
  for (const call of first.matchAll(/\b([A-Za-z_]\w*)[ \t]*\(/g)) {
    const params = defs.get(call[1]);
    if (params === undefined) continue;
    const names = splitTopLevel(params);
    const arity = splitTopLevel(balancedTail(first, call.index + call[0].length) ?? "").length;
    const shown = names.length >= arity ? names : Array.from({ length: arity }, (_, i) => `arg${i + 1}`);
    return { name: call[1], params: shown.join(", ") };
  }
  throw new RangeError(`MBPP task ${record.taskId}: the first assert calls no function of the solution`);
}

/** The task asked plainly (the `raw` arm's one message): the prompt sentence and the signature. */
export function mbppPlainPrompt(record: MbppRecord): string {
  const { name, params } = functionSignature(record);
  return [
    record.prompt,
    "",
    "Write it as a Python function with this signature:",
    "",
    `    def ${name}(${params})`,
  ]
    .join("\n");
}

/**
 * The task description the loop arms get: the same text as the raw arm's plain prompt, so the arms differ
 * only in how factory uses the model (the Coder's own prompt asks for a demo of a function).
 */
export function mbppDescription(record: MbppRecord): string {
  return mbppPlainPrompt(record);
}

/**
 * The description of the `loop+derived` arm: the description with MBPP's first assert (after the test
 * imports it needs) written into it as a user would write an example. factory then derives a `test`
 * check from it.
 */
export function mbppExampleDescription(record: MbppRecord): string {
  const lines = [...record.testImports, record.tests[0]].flatMap((line) => line.split("\n"));
  return [mbppDescription(record), "", "Example:", "", ...lines.map((line) => `    ${line}`)].join("\n");
}

/**
 * The visible check of the `loop+checks` arm: a test program that imports the script's functions, then
 * runs the test imports and the FIRST assert only.
 */
export function visibleTest(record: MbppRecord): string {
  return ["from main import *", ...record.testImports, record.tests[0]].join("\n");
}

/** The benchmark task for an MBPP record. */
export function mbppBenchTask(record: MbppRecord): BenchTask {
  const task: Task = {
    name: `mbpp-${record.taskId}`,
    description: mbppDescription(record),
    constraints: [],
    language: "python",
    checks: {},
  };
  return {
    suite: "mbpp",
    id: String(record.taskId),
    task,
    plainPrompt: mbppPlainPrompt(record),
    exampleDescription: mbppExampleDescription(record),
    visibleChecks: { test: visibleTest(record) },
    truth: { kind: "asserts", imports: record.testImports, asserts: record.tests },
  };
}
