/**
 * `deno task bench SUITE [options]`: the benchmark, the same as `deno run -A cli.ts bench SUITE`, through
 * the CLI's one error boundary.
 *
 * @module
 */
import { runCli } from "../cli.ts";

if (import.meta.main) await runCli(["bench", ...Deno.args]);
