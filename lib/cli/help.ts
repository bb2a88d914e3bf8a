/**
 * Help texts of the CLI commands.
 *
 * @module
 */

/** `factory --help`. */
export const MAIN_HELP = `factory — a local software factory: a Coder writes a program, a sandbox runs it,
a Sheriff checks it, and the loop repeats until it really works or a hard limit stops it.

Usage:
  deno run -A cli.ts "<task text>"            run a task (same as: run "<task text>")
  deno run -A cli.ts run [TEXT] [options]      run a task from text or --task FILE
  deno run -A cli.ts server start|status|stop|logs
  deno run -A cli.ts engine install|info
  deno run -A cli.ts doctor

Every command takes --help. Exit codes: 0 passed, 1 failed, 2 usage or config error,
3 model server unreachable or failing, 130 interrupted.`;

/** `factory run --help`. */
export const RUN_HELP = `Usage: deno run -A cli.ts run [TEXT] [options]

Runs the Coder → run → Sheriff loop on a task until it passes or a limit stops it.

Options:
  -t, --task FILE          a task file (YAML); otherwise TEXT is the task
  -m, --model NAME         model name or GGUF path (default: from factory.yaml, else the server's first)
  -n, --max-attempts N     attempts before giving up (default 5)
      --timeout SECONDS    wall-clock limit for each program run (default 60)
      --lang LANG          python (default) or typescript
      --base-url URL       an OpenAI-compatible server (default http://127.0.0.1:8080/v1)
      --no-server          use a running server; never start one
      --config FILE        config file (default ./factory.yaml when present)
      --out DIR            where run artifacts go (default runs/)
      --json               one JSON event per line on stdout
      --quiet              print only the result
  -h, --help               this help

Precedence: defaults < factory.yaml < task file < these flags.
Exit codes: 0 passed, 1 failed, 2 usage or config error, 3 model server unreachable or failing,
130 interrupted.`;
