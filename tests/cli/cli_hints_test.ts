/**
 * Advice and hints the CLI prints fit what was typed: the flags given, and the command factory was
 * started with. The real CLI (`main`), nothing started.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { main } from "../../cli.ts";
import { tempDir } from "../_helpers.ts";
import { captureIo } from "./_io.ts";

/** A local port nothing listens on. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}

async function cli(args: string[], extra: Partial<Parameters<typeof main>[1]> = {}) {
  await using dir = await tempDir();
  const io = { ...captureIo(dir.path), ...extra };
  const code = await main(args, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

Deno.test("run: the advice for an unreachable server fits the flags given", async (t) => {
  await t.step(
    "--base-url: start that server or point --base-url elsewhere, nothing about --no-server",
    async () => {
      const url = `http://127.0.0.1:${closedPort()}/v1`;
      const { code, err } = await cli(["run", "x y", "--base-url", url]);
      assert.equal(code, 3);
      // Without bubblewrap (as under test:fast on a bare machine) a sandbox warning comes first.
      assert.equal(
        err.replace(/^warning: No OS sandbox: .*\n/, ""),
        `error: Cannot reach the model server at ${url}: connection refused: ` +
          `start the server at ${url}, or point --base-url at one that is running\n`,
      );
    },
  );
  await t.step("--no-server --port N: server start on that port, or drop --no-server", async () => {
    const port = closedPort();
    const { code, err } = await cli(["run", "x y", "--no-server", "--port", String(port)], {
      command: "factory",
    });
    assert.equal(code, 3);
    assert.match(
      err,
      new RegExp(`start one with "factory server start --port ${port}", or drop --no-server`),
    );
    assert.doesNotMatch(err, /pass --base-url/);
  });
});

Deno.test("run: an invalid flag value names the flag, not the config key", async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [
      ["--base-url", "not-a-url"],
      /^error: Invalid flag: --base-url: expected an http or https URL, got "not-a-url"\n$/,
    ],
    [["--engine", "vllm"], /^error: Invalid flag: --engine: expected one of auto, llama\.cpp/],
    [["--host", ""], /^error: Invalid flag: --host: /],
  ];
  for (const [flags, pattern] of cases) {
    await t.step(flags[0], async () => {
      const { code, err } = await cli(["run", "x y", ...flags]);
      assert.equal(code, 2);
      assert.match(err, pattern);
      assert.doesNotMatch(err, /server\./);
    });
  }
});

Deno.test("run: a negative number after a flag is its value, refused with what to write", async (t) => {
  const cases: Array<[string[], string]> = [
    [["-n", "-3"], `error: --max-attempts: expected a whole number >= 1, got "-3"\n`],
    [["--max-attempts", "-3"], `error: --max-attempts: expected a whole number >= 1, got "-3"\n`],
    [["-n=-3"], `error: --max-attempts: expected a whole number >= 1, got "-3"\n`],
    [["--timeout", "-1"], `error: --timeout: expected a number >= 0.001, got "-1"\n`],
    [
      ["--task", "-odd.yaml"],
      `error: run: --task takes a value, and "-odd.yaml" looks like a flag: write --task=-odd.yaml if it is the value\n`,
    ],
  ];
  for (const [flags, message] of cases) {
    await t.step(flags.join(" "), async () => {
      const { code, err } = await cli(["run", "x y", ...flags]);
      assert.equal(code, 2);
      assert.equal(err, message);
    });
  }
});

Deno.test("help and hints use the command factory was started with", async (t) => {
  for (const command of ["factory", "deno run -A /opt/factory/cli.ts"]) {
    await t.step(command, async () => {
      const main_ = await cli(["--help"], { command });
      assert.match(main_.out, new RegExp(`^ {2}${escape(command)} run \\[TEXT\\] \\[options\\]$`, "m"));
      assert.ok(!main_.out.includes("deno run -A cli.ts") || command.includes("cli.ts"));
      for (const sub of ["run", "server", "engine", "model", "doctor", "bench"]) {
        const help = await cli([sub, "--help"], { command });
        assert.equal(help.code, 0);
        assert.ok(help.out.includes(`${command} ${sub}`), `${sub} --help names ${command}`);
        if (command === "factory") assert.ok(!help.out.includes("cli.ts"), `${sub} --help: ${help.out}`);
      }
    });
  }
});

Deno.test("server logs with no server says so and exits 1", async () => {
  await using cache = await tempDir();
  const env = (name: string) => (name === "XDG_CACHE_HOME" ? cache.path : undefined);
  const { code, out } = await cli(["server", "logs"], { env, command: "factory" });
  assert.equal(code, 1);
  assert.equal(out, `no server log: no factory server has run (start one with "factory server start")\n`);
  const onPort = await cli(["server", "logs", "--port", "8123"], { env });
  assert.equal(onPort.code, 1);
  assert.match(onPort.out, /no factory server has run on port 8123/);
  assert.deepEqual(await Array.fromAsync(Deno.readDir(cache.path)), [], "nothing written");
});

Deno.test("doctor: a base URL that answers is enough, and fixes use the command", async (t) => {
  await using root = await tempDir();
  const bare = {
    root: root.path,
    os: "linux",
    arch: "x86_64",
    which: () => Promise.resolve(undefined),
    run: (command: string) => Promise.resolve({ kind: "not_found" as const, command }),
    cachedModel: () => Promise.resolve(undefined),
  };
  await t.step("no llama-server, no model: exit 1, each fix once in the started form", async () => {
    const { code, out } = await cli(["doctor"], { doctor: bare, command: "deno run -A cli.ts" });
    assert.equal(code, 1);
    assert.match(out, /^ {2}deno run -A cli\.ts engine install {3}# llama-server: the llama\.cpp engine$/m);
    assert.match(out, /^ {2}deno run -A cli\.ts model fetch {3}# coder model: /m);
    assert.match(out, /^Missing: llama-server, coder model$/m);
    for (const line of out.split("\n")) assert.ok(line.split("#").length <= 2, `one comment: ${line}`);
  });
  await t.step("--base-url answering: exit 0 without llama-server", async () => {
    const fetch = () => Promise.resolve(new Response('{"data":[]}', { status: 200 }));
    const { code, out } = await cli(["doctor", "--base-url", "http://gpu-box:8000/v1"], {
      doctor: { ...bare, fetch: fetch as typeof globalThis.fetch },
    });
    assert.equal(code, 0, out);
    assert.match(out, /ok +model server +http:\/\/gpu-box:8000\/v1 answers/);
    assert.match(out, /^Ready to run models\.$/m);
  });
  await t.step("server.base_url in factory.yaml counts the same", async () => {
    const config = join(root.path, "factory.yaml");
    await Deno.writeTextFile(config, "server:\n  base_url: http://gpu-box:8000/v1\n");
    const fetch = () => Promise.resolve(new Response('{"data":[]}', { status: 200 }));
    const { code } = await cli(["doctor", "--config", config], {
      doctor: { ...bare, fetch: fetch as typeof globalThis.fetch },
    });
    assert.equal(code, 0);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
