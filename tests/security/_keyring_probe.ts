/**
 * Runs the Python program given as the first argument through the real `execute()` (sandbox `auto`) and
 * prints the result as JSON. Started by `keyring_test.ts` inside a session keyring of its own.
 */
import { execute } from "../../lib/sandbox/execute.ts";

const dir = await Deno.realPath(await Deno.makeTempDir({ dir: "/var/tmp", prefix: "factory-keyring-" }));
try {
  const result = await execute({ language: "python", code: Deno.args[0], dir }, { timeoutMs: 20_000 });
  console.log(JSON.stringify(result));
} finally {
  await Deno.remove(dir, { recursive: true });
}
