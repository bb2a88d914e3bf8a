import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../../lib/errors.ts";
import { MAX_FILE_BYTES, readConfigFile, readYamlFile } from "../../lib/config/read.ts";

const FIXTURES = fileURLToPath(new URL("../fixtures/config/", import.meta.url));
const fixture = (name: string) => join(FIXTURES, name);

/** Runs `body` with a fresh temp dir, removed afterwards. */
async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "factory_config_test_" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Asserts `promise` rejects with a one-line ConfigError and returns its message. */
async function configError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
  assert.ok(!error.message.includes("\n"), `one line: ${error.message}`);
  return error.message;
}

Deno.test("readConfigFile() reads and maps an explicit file", async () => {
  const path = fixture("full.yaml");
  assert.deepEqual(await readConfigFile(path), {
    path,
    config: {
      server: {
        engine: "llama.cpp",
        model: "models/qwen2.5-coder-1.5b.gguf",
        host: "0.0.0.0",
        port: 9090,
        baseUrl: "http://127.0.0.1:9090/v1",
      },
      agent: {
        maxAttempts: 7,
        executionTimeoutSec: 30,
        llmTimeoutSec: 90.5,
        maxTokensPerTurn: 1024,
        totalTokenBudget: 50000,
        temperature: 0.2,
        retryTemperature: 0.9,
        stagnationThreshold: 4,
      },
    },
  });
});

Deno.test("readConfigFile() finds factory.yaml in the working directory", async (t) => {
  await t.step("present: read", async () => {
    const cwd = fixture("project");
    assert.deepEqual(await readConfigFile(undefined, { cwd }), {
      path: join(cwd, "factory.yaml"),
      config: { agent: { maxAttempts: 2 } },
    });
  });
  await t.step("absent: an empty layer, no path", async () => {
    await withTempDir(async (cwd) => {
      assert.deepEqual(await readConfigFile(undefined, { cwd }), { config: {} });
    });
  });
  await t.step("present but invalid: an error, not silently ignored", async () => {
    await withTempDir(async (cwd) => {
      await Deno.writeTextFile(join(cwd, "factory.yaml"), "agent:\n  max_attempts: 0\n");
      const message = await configError(readConfigFile(undefined, { cwd }));
      assert.equal(
        message,
        `Invalid config in ${join(cwd, "factory.yaml")}: agent.max_attempts: expected an integer >= 1, got 0`,
      );
    });
  });
});

Deno.test("readConfigFile() treats empty files and empty sections as no settings", async () => {
  assert.deepEqual((await readConfigFile(fixture("empty_sections.yaml"))).config, {});
  await withTempDir(async (dir) => {
    for (const [name, text] of [["empty.yaml", ""], ["comments.yaml", "# nothing here\n"]]) {
      await Deno.writeTextFile(join(dir, name), text);
      assert.deepEqual((await readConfigFile(join(dir, name))).config, {});
    }
  });
});

Deno.test("readConfigFile() rejects a bad file with one line naming the file and the key", async (t) => {
  const cases: [string, string][] = [
    ["unknown_key.yaml", "agent.max_attemps: unknown key"],
    ["wrong_type.yaml", 'agent.max_attempts: expected an integer >= 1, got "five"'],
    ["bad_base_url.yaml", 'server.base_url: expected an http or https URL, got "file:///etc/passwd"'],
    ["list.yaml", "expected a mapping of keys at the top level, got a list"],
  ];
  for (const [name, detail] of cases) {
    await t.step(name, async () => {
      const path = fixture(name);
      assert.equal(await configError(readConfigFile(path)), `Invalid config in ${path}: ${detail}`);
    });
  }
});

Deno.test("readConfigFile() with an explicit path that does not exist is an error", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "missing.yaml");
    assert.equal(await configError(readConfigFile(path)), `Config file not found: ${path}`);
  });
});

Deno.test("readConfigFile() stops an alias bomb quickly", async () => {
  const path = fixture("alias_bomb.yaml");
  const started = performance.now();
  const message = await configError(readConfigFile(path));
  assert.ok(performance.now() - started < 5_000, "rejected quickly");
  assert.match(message, new RegExp(`^Invalid config in ${path}: YAML error: too many alias expansions`));
});

Deno.test("readYamlFile() rejects files that are not clean YAML mappings", async (t) => {
  await withTempDir(async (dir) => {
    const cases: [string, string | Uint8Array, RegExp][] = [
      [
        "invalid UTF-8",
        new Uint8Array([0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a]),
        /: the file is not valid UTF-8 text$/,
      ],
      [
        "broken YAML",
        "agent:\n  max_attempts: [1, 2\nserver: : x\n",
        /: YAML error: .+ at line \d+, column \d+$/,
      ],
      [
        "a duplicate key",
        "agent: {}\nagent: {}\n",
        /: YAML error: Map keys must be unique at line 2, column 1$/,
      ],
      ["an unknown tag", "agent:\n  max_attempts: !!js/function 3\n", /: YAML error: Unresolved tag: .+/],
      ["two documents", "agent: {}\n---\nserver: {}\n", /: YAML error: Source contains multiple documents/],
      ["a scalar", "hello\n", /: expected a mapping of keys at the top level, got a string$/],
      ["a number", "42\n", /: expected a mapping of keys at the top level, got a number$/],
    ];
    for (const [what, content, pattern] of cases) {
      await t.step(what, async () => {
        const path = join(dir, `${what.replaceAll(" ", "_")}.yaml`);
        if (typeof content === "string") await Deno.writeTextFile(path, content);
        else await Deno.writeFile(path, content);
        const message = await configError(readYamlFile(path, { kind: "task" }));
        assert.ok(message.startsWith(`Invalid task file ${path}: `), message);
        assert.match(message, pattern);
      });
    }
    await t.step("a directory", async () => {
      assert.equal(
        await configError(readYamlFile(dir, { kind: "config" })),
        `Invalid config in ${dir}: is a directory`,
      );
    });
    await t.step("a file over the size limit, without reading it whole", async () => {
      const path = join(dir, "huge.yaml");
      await Deno.writeTextFile(path, `description: ${"x".repeat(10 * 1024 * 1024)}\n`);
      const started = performance.now();
      const message = await configError(readYamlFile(path, { kind: "task" }));
      assert.ok(performance.now() - started < 1_000, "rejected quickly");
      assert.equal(
        message,
        `Invalid task file ${path}: the file is larger than the limit of 1.0 MiB (10.0 MiB)`,
      );
    });
  });
  await t.step("an endless device is cut at the limit", async () => {
    const message = await configError(readYamlFile("/dev/zero", { kind: "config" }));
    assert.equal(message, "Invalid config in /dev/zero: the file is larger than the limit of 1.0 MiB");
  });
});

Deno.test("readYamlFile() accepts a file right at the size limit", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "big.yaml");
    const prefix = "description: ";
    await Deno.writeTextFile(path, prefix + "x".repeat(MAX_FILE_BYTES - prefix.length));
    const data = await readYamlFile(path, { kind: "task" });
    assert.equal((data.description as string).length, MAX_FILE_BYTES - prefix.length);
  });
});
