/**
 * The TypeScript test program that runs a list of examples against `main.ts`'s exports. Pure.
 *
 * @module
 */
import type { Example } from "../types.ts";

const PRELUDE = String
  .raw`// Written by factory from the task's examples: imports main.ts and checks each example.
import * as __factoryMain from "./main.ts";
Object.assign(globalThis, __factoryMain);

type __FactoryProblem = [string | undefined, string] | undefined;
const __factoryResults: [string, __FactoryProblem][] = [];

function __factoryShort(text: string): string {
  return text.length <= 60 ? text : text.slice(0, 57) + "...";
}

function __factoryShow(value: unknown): string {
  return __factoryShort(Deno.inspect(value, { depth: 4, compact: true, breakLength: Infinity }));
}

function __factoryError(error: unknown): string {
  return "error " + __factoryShort(error instanceof Error ? error.name + ": " + error.message : String(error));
}

function __factoryEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date) return a.getTime() === (b as Date).getTime();
  if (a instanceof Map || a instanceof Set) {
    return __factoryEqual([...a.entries()].sort(), [...(b as Map<unknown, unknown>).entries()].sort());
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) =>
    __factoryEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])
  );
}

async function __factoryExample(shown: string, check: () => Promise<__FactoryProblem>): Promise<void> {
  let problem: __FactoryProblem;
  try {
    problem = await check();
  } catch (error) {
    problem = [undefined, __factoryError(error)];
  }
  __factoryResults.push([shown, problem]);
}

async function __factoryEquals(actual: () => unknown, expected: () => unknown): Promise<__FactoryProblem> {
  const want = await expected();
  let got: unknown;
  try {
    got = await actual();
  } catch (error) {
    return [__factoryShow(want), __factoryError(error)];
  }
  return __factoryEqual(got, want) ? undefined : [__factoryShow(want), __factoryShow(got)];
}

async function __factoryShows(actual: () => unknown, output: string): Promise<__FactoryProblem> {
  let got: unknown;
  try {
    got = await actual();
  } catch (error) {
    return [__factoryShort(output), __factoryError(error)];
  }
  const inspected = Deno.inspect(got, { depth: 8, compact: true, breakLength: Infinity });
  if (inspected === output || String(got) === output) return undefined;
  try {
    if (__factoryEqual(got, (0, eval)("(" + output + ")"))) return undefined;
  } catch {
    // Not an expression: the text alone decides.
  }
  return [__factoryShort(output), __factoryShow(got)];
}
`;

const FINALE = String.raw`
const __factoryFailed = __factoryResults.filter(([, problem]) => problem !== undefined);
if (__factoryFailed.length > 0) {
  const index = __factoryResults.findIndex(([, problem]) => problem !== undefined);
  const [shown, problem] = __factoryFailed[0];
  const [want, got] = problem!;
  console.error("example " + (index + 1) + " of " + __factoryResults.length + " failed: " + __factoryShort(shown));
  if (want !== undefined) console.error("  expected: " + want);
  console.error("  got:      " + got);
  console.error(__factoryFailed.length + " of " + __factoryResults.length + " examples failed");
  Deno.exit(1);
}
console.log("all " + __factoryResults.length + " examples passed");
`;

/** One example's lines in the test program. */
function exampleCode(example: Example): string {
  const thunk = (expression: string) => `() => (${expression}\n)`;
  switch (example.kind) {
    case "setup":
      return `${example.source};`;
    case "equal":
      return `await __factoryExample(${JSON.stringify(example.actual)}, () => __factoryEquals(${
        thunk(example.actual)
      }, ${thunk(example.expected)}));`;
    case "shows":
      return `await __factoryExample(${JSON.stringify(example.source)}, () => __factoryShows(${
        thunk(example.source)
      }, ${JSON.stringify(example.output)}));`;
    case "true":
    case "raises":
      // TypeScript examples are never of these kinds (see deriveExamples); show them as a plain failure.
      return `await __factoryExample(${
        JSON.stringify(JSON.stringify(example))
      }, () => Promise.resolve([undefined, "not supported in TypeScript"]));`;
    default: {
      const never: never = example;
      return never;
    }
  }
}

/** The test program for `examples`: exit 0 when every example holds, else 1 with the first failure on stderr. */
export function typescriptTestProgram(examples: readonly Example[]): string {
  return [PRELUDE, ...examples.map(exampleCode), FINALE].join("\n");
}
