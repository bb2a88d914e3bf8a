/** The README says what the CLI does: its `run` options table, its command list, the install step. */
import assert from "node:assert/strict";
import { main } from "../../cli.ts";
import { captureIo } from "../cli/_io.ts";

const README = await Deno.readTextFile(new URL("../../README.md", import.meta.url));

/** What `ARGS` prints, run through the real CLI. */
async function output(args: string[]): Promise<string> {
  const io = { ...captureIo(Deno.cwd()), command: "deno run -A cli.ts" };
  assert.equal(await main(args, io), 0);
  return io.stdout();
}

/** `-t, --task FILE` → ["-t", "--task"]. */
function flagsOf(text: string): string[] {
  return [...text.matchAll(/(?:^|[\s,`])(--?[a-z][\w-]*)/g)].map((m) => m[1]);
}

/** The flags of the README's `run` options table, row by row. */
function readmeRunFlags(): string[][] {
  const start = README.indexOf("`run` options");
  assert.ok(start >= 0, "the README has a run options table");
  const lines = README.slice(start).split("\n").slice(1);
  const first = lines.findIndex((line) => line.startsWith("|"));
  const end = lines.findIndex((line, i) => i > first && !line.startsWith("|"));
  const table = lines.slice(first, end);
  return table.slice(2).map((row) => flagsOf(row.split("|")[1]));
}

/** The flags of `run --help`'s option lines, line by line. */
async function helpRunFlags(): Promise<string[][]> {
  const help = await output(["run", "--help"]);
  const options = help.slice(help.indexOf("Options:")).split("\n\n")[0].split("\n").slice(1);
  return options.filter((line) => /^\s+-/.test(line)).map((line) => flagsOf(line.trim().split(/\s{2,}/)[0]));
}

Deno.test("README: the run options table lists exactly the flags of run --help", async () => {
  const readme = readmeRunFlags();
  const help = await helpRunFlags();
  assert.ok(help.length >= 16, `run --help lists its options: ${JSON.stringify(help)}`);
  assert.deepEqual(
    readme.map((flags) => flags.join(", ")).sort(),
    help.map((flags) => flags.join(", ")).sort(),
  );
});

Deno.test("README: the CLI block names every command of --help", async () => {
  const help = await output(["--help"]);
  const commands = [...help.matchAll(/^ {2}deno run -A cli\.ts ([a-z]+) ?(\S*)/gm)].map((m) =>
    `${m[1]} ${m[2]}`
  );
  assert.ok(commands.length >= 6, commands.join("; "));
  const block = README.slice(README.indexOf("## CLI"), README.indexOf("`run` options"));
  for (const command of commands) {
    const [name, actions] = command.split(" ");
    assert.match(block, new RegExp(`deno run -A cli\\.ts ${name}\\b`), name);
    for (const action of actions.split("|").filter((a) => /^[a-z]+$/.test(a))) {
      assert.ok(block.includes(action), `${name} ${action} is in the README's CLI block`);
    }
  }
});

Deno.test("README: the quick start clones, and installs the factory command as deno.json's task does", async () => {
  const quick = README.slice(0, README.indexOf("## Quick start"));
  assert.match(quick, /git clone \S+ factory && cd factory/);
  assert.match(quick, /deno task install/);
  const { tasks } = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  assert.equal(tasks.install, "deno install -g -A -f -c deno.json -n factory cli.ts");
  assert.ok(README.includes(`\`deno task install\` runs \`${tasks.install}\``));
});
