/**
 * Hostile input at the CLI: malformed factory.yaml and task files, bad flags, a missing task file. Each:
 * one line naming the problem, exit code 2, nothing written. (tests/cli/cli_test.ts covers unknown flags
 * and commands, missing files, bad --max-attempts and --lang, and an unknown config key; these are the rest.)
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { main } from "../../cli.ts";
import { tempDir } from "../_helpers.ts";
import { captureIo } from "../cli/_io.ts";

/** Writes the hostile files into `dir` and returns their paths by name. */
async function hostileFiles(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string | Uint8Array> = {
    "bad_sandbox.yaml": "sandbox: banana\n",
    "sandbox_section.yaml": "sandbox:\n  mode: auto\n",
    "big_config.yaml": `# ${"x".repeat(2 * 1024 * 1024)}\n`,
    "latin1_config.yaml": new Uint8Array([
      ...new TextEncoder().encode("agent:\n  max_attempts: 3 # "),
      0xe9,
      0x0a,
    ]),
    "huge_task.yaml": `description: "${"Print hello. ".repeat(850_000)}"\n`,
    "binary_task.yaml": new Uint8Array([0x64, 0x65, 0x73, 0x63, 0x3a, 0x20, 0xff, 0xfe, 0x00, 0x0a]),
    "alias_task.yaml": `description: Print hello.\nconstraints: &c [a, a, a, a, a, a, a, a, a, a]\n` +
      Array.from(
        { length: 8 },
        (_, i) => `x${i}: &x${i} [${Array(10).fill(i ? `*x${i - 1}` : "*c").join(", ")}]\n`,
      ).join(""),
    "list_task.yaml": "- description: Print hello.\n",
    "empty_task.yaml": "",
  };
  const paths: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    paths[name] = join(dir, name);
    if (typeof content === "string") await Deno.writeTextFile(paths[name], content);
    else await Deno.writeFile(paths[name], content);
  }
  return paths;
}

Deno.test("cli main() hostile input: one clear line, exit 2, nothing written", async (t) => {
  await using dir = await tempDir();
  const f = await hostileFiles(dir.path);
  const fixtures = "tests/fixtures";
  const cases: Array<[string, string[], RegExp]> = [
    [
      "config: wrong type",
      ["x y", "--config", `${fixtures}/config/wrong_type.yaml`],
      /agent\.max_attempts: expected an integer >= 1, got "five"/,
    ],
    [
      "config: YAML alias bomb",
      ["x y", "--config", `${fixtures}/config/alias_bomb.yaml`],
      /too many alias expansions/,
    ],
    ["config: a list at the top", ["x y", "--config", `${fixtures}/config/list.yaml`], /expected a mapping/],
    [
      "config: bad sandbox mode",
      ["x y", "--config", f["bad_sandbox.yaml"]],
      /sandbox: expected one of auto, require, off, got "banana"/,
    ],
    [
      "config: sandbox as a section",
      ["x y", "--config", f["sandbox_section.yaml"]],
      /sandbox: expected one of auto, require, off, got a mapping/,
    ],
    [
      "config: over the size limit",
      ["x y", "--config", f["big_config.yaml"]],
      /larger than the limit of 1\.0 MiB/,
    ],
    ["config: invalid UTF-8", ["x y", "--config", f["latin1_config.yaml"]], /not valid UTF-8/],
    [
      "task: wrong type",
      ["--task", `${fixtures}/tasks/wrong_type.yaml`],
      /max_attempts: expected an integer/,
    ],
    [
      "task: unknown key",
      ["--task", `${fixtures}/tasks/unknown_key.yaml`],
      /checks\.stdout_contain: unknown key/,
    ],
    ["task: .. in checks.files", ["--task", `${fixtures}/tasks/dotdot_file.yaml`], /checks\.files\[\d\]/],
    [
      "task: absolute checks.files",
      ["--task", `${fixtures}/tasks/absolute_file.yaml`],
      /checks\.files\[\d\]/,
    ],
    [
      "task: a 10 MB description",
      ["--task", f["huge_task.yaml"]],
      /larger than the limit of 1\.0 MiB \(10\.\d MiB\)/,
    ],
    ["task: invalid UTF-8", ["--task", f["binary_task.yaml"]], /not valid UTF-8/],
    ["task: YAML alias bomb", ["--task", f["alias_task.yaml"]], /too many alias expansions/],
    [
      "task: a list at the top",
      ["--task", f["list_task.yaml"]],
      /expected a mapping of keys at the top level, got a list/,
    ],
    ["task: empty file", ["--task", f["empty_task.yaml"]], /description: missing/],
    ["task: a directory", ["--task", dir.path], /is a directory/],
    ["task: does not exist", ["--task", join(dir.path, "nope.yaml")], /Task file not found/],
    ["flag: --timeout 0", ["x y", "--timeout", "0"], /--timeout: expected a number >= 0\.001, got "0"/],
    ["flag: --timeout abc", ["x y", "--timeout", "abc"], /--timeout: expected a number/],
    ["flag: --port 70000", ["x y", "--port", "70000"], /port/],
    ["flag: --max-attempts 1.5", ["x y", "--max-attempts", "1.5"], /--max-attempts: expected a whole number/],
    ["flag: --engine banana", ["x y", "--engine", "banana"], /engine: expected one of auto, llama\.cpp/],
    [
      "flag: --base-url file://",
      ["x y", "--base-url", "file:///etc/passwd"],
      /--base-url: expected an http or https URL/,
    ],
    ["flag: a value missing", ["x y", "--model"], /--model/],
    ["text: only spaces", ["   "], /no task given/],
  ];
  for (const [name, args, pattern] of cases) {
    await t.step(name, async () => {
      await using out = await tempDir();
      const io = captureIo(Deno.cwd());
      const started = performance.now();
      const code = await main(["run", ...args, "--out", join(out.path, "runs")], io);
      assert.equal(code, 2, `${name}: ${io.stderr()}`);
      assert.match(io.stderr(), pattern);
      assert.match(io.stderr(), /^error: /);
      assert.equal(io.stderr().trim().split("\n").length, 1, "one line");
      assert.ok(io.stderr().length < 600, "a short line, not the file");
      assert.equal(io.stdout(), "");
      assert.deepEqual(await Array.fromAsync(Deno.readDir(out.path)), [], "nothing written");
      assert.ok(performance.now() - started < 5_000, "quickly");
    });
  }
});
