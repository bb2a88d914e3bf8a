/**
 * The wrappers a `test` check runs instead of the test itself, private to the sandbox folder. Pure.
 *
 * Each reads the run's random token from `.factory-token` and deletes the file before anything of the
 * program is loaded, runs the test (which may import `main`), and prints the token on a line of its own
 * only once the test has run to its end. A program that exits while it is imported, or from a function
 * the test calls, never lets the token be printed, so its exit code 0 proves nothing.
 *
 * @module
 */

import type { Language } from "../types.ts";

/** The file the token is handed over in (removed by the wrapper before the program is loaded). */
export const TOKEN_FILE = ".factory-token";

/** The wrapper's file name per language. */
export const RUNNER_FILES: Readonly<Record<Language, string>> = {
  python: "_factory_check.py",
  typescript: "_factory_check.ts",
};

/**
 * The Python wrapper, run with `python -I`: `main` is importable only through a finder for exactly that
 * name (the work dir is not on `sys.path`, so nothing there shadows the standard library); the test runs
 * as `__main__`. `SystemExit(0)` counts as the test's end only when no frame of `main.py` raised it.
 */
export function pythonRunner(mainFile: string, testFile: string): string {
  return `import importlib.abc, importlib.util, os, runpy, sys

def _factory_check():
    with open(${JSON.stringify(TOKEN_FILE)}) as f:
        token = f.read().strip()
    os.unlink(${JSON.stringify(TOKEN_FILE)})
    here = os.getcwd()
    main_path = os.path.join(here, ${JSON.stringify(mainFile)})
    test_path = os.path.join(here, ${JSON.stringify(testFile)})
    write = os.write

    class MainFinder(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name != "main":
                return None
            return importlib.util.spec_from_file_location("main", main_path)

    sys.meta_path.insert(0, MainFinder())
    sys.argv = [test_path]
    try:
        runpy.run_path(test_path, run_name="__main__")
    except SystemExit as exit:
        if exit.code not in (None, 0):
            raise
        frame = exit.__traceback__
        while frame is not None:
            if frame.tb_frame.f_code.co_filename == main_path:
                print("main.py exited with code 0 while the test ran", file=sys.stderr)
                raise SystemExit(3)
            frame = frame.tb_next
    sys.stdout.flush()
    sys.stderr.flush()
    write(1, ("\\n" + token + "\\n").encode())

_factory_check()
`;
}

/** The TypeScript wrapper: imports the test (and so its static imports) and prints the token after it. */
export function typescriptRunner(testFile: string): string {
  return `const token = Deno.readTextFileSync(${JSON.stringify(TOKEN_FILE)}).trim();
Deno.removeSync(${JSON.stringify(TOKEN_FILE)});
const write = Deno.stdout.writeSync.bind(Deno.stdout);
await import(${JSON.stringify(`./${testFile}`)});
write(new TextEncoder().encode("\\n" + token + "\\n"));
`;
}

/** True when `stdout`'s last line is exactly `token`. Pure. */
export function ranToEnd(stdout: string, token: string): boolean {
  const lines = stdout.trimEnd().split("\n");
  return lines.at(-1) === token;
}
