import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors.ts";
import {
  checkPartialConfig,
  DEFAULT_CONFIG,
  parseConfigObject,
  type PartialConfig,
} from "../../lib/config/schema.ts";
import { ENGINE_CHOICES as ENGINES } from "../../lib/types.ts";

const LABEL = "Invalid config in factory.yaml";

function rejects(value: unknown): string {
  try {
    parseConfigObject(value, LABEL);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
    assert.ok(!error.message.includes("\n"), "one line");
    return error.message;
  }
  assert.fail(`accepted ${JSON.stringify(value)}`);
}

Deno.test("DEFAULT_CONFIG holds the documented defaults", () => {
  assert.deepEqual(DEFAULT_CONFIG, {
    server: { engine: "auto", host: "127.0.0.1", port: 8080, speculative: "auto" },
    agent: {
      maxAttempts: 5,
      executionTimeoutSec: 60,
      llmTimeoutSec: 120,
      maxTokensPerTurn: 2048,
      totalTokenBudget: 100_000,
      temperature: 0,
      retryTemperature: 0.7,
      stagnationThreshold: 3,
    },
  });
  assert.ok(Object.isFrozen(DEFAULT_CONFIG) && Object.isFrozen(DEFAULT_CONFIG.agent));
  assert.ok(Object.isFrozen(DEFAULT_CONFIG.server));
});

Deno.test("DEFAULT_CONFIG passes its own validation", () => {
  assert.deepEqual(checkPartialConfig(DEFAULT_CONFIG, LABEL), DEFAULT_CONFIG);
});

Deno.test("parseConfigObject() maps snake_case keys to the camelCase config", () => {
  const parsed = parseConfigObject({
    server: {
      engine: "ollama",
      model: "qwen",
      host: "localhost",
      port: 11434,
      base_url: "https://x.test/v1",
    },
    agent: {
      max_attempts: 2,
      execution_timeout: 1.5,
      llm_timeout: 30,
      max_tokens_per_turn: 16,
      total_token_budget: 1,
      temperature: 2,
      retry_temperature: 0,
      stagnation_threshold: 2,
    },
  }, LABEL);
  const expected: PartialConfig = {
    server: { engine: "ollama", model: "qwen", host: "localhost", port: 11434, baseUrl: "https://x.test/v1" },
    agent: {
      maxAttempts: 2,
      executionTimeoutSec: 1.5,
      llmTimeoutSec: 30,
      maxTokensPerTurn: 16,
      totalTokenBudget: 1,
      temperature: 2,
      retryTemperature: 0,
      stagnationThreshold: 2,
    },
  };
  assert.deepEqual(parsed, expected);
});

Deno.test("parseConfigObject() accepts every engine, every speculative mode and empty sections", () => {
  for (const engine of ENGINES) {
    assert.deepEqual(parseConfigObject({ server: { engine } }, LABEL), { server: { engine } });
  }
  for (const speculative of ["auto", "off", "ngram", "draft"] as const) {
    assert.deepEqual(parseConfigObject({ server: { speculative } }, LABEL), { server: { speculative } });
  }
  assert.deepEqual(parseConfigObject({ server: null, agent: null }, LABEL), {});
  assert.deepEqual(parseConfigObject({}, LABEL), {});
});

Deno.test("parseConfigObject() rejects bad values naming the key", async (t) => {
  const cases: [string, unknown, string][] = [
    ["an unknown key", { agent: { max_attemps: 3 } }, "agent.max_attemps: unknown key"],
    ["an unknown section", { agents: {} }, "agents: unknown key"],
    [
      "a string for an int",
      { agent: { max_attempts: "five" } },
      'agent.max_attempts: expected an integer >= 1, got "five"',
    ],
    ["zero attempts", { agent: { max_attempts: 0 } }, "agent.max_attempts: expected an integer >= 1, got 0"],
    [
      "a fraction of an attempt",
      { agent: { max_attempts: 1.5 } },
      "agent.max_attempts: expected an integer >= 1, got 1.5",
    ],
    [
      "a zero timeout",
      { agent: { execution_timeout: 0 } },
      "agent.execution_timeout: expected a number of seconds > 0, got 0",
    ],
    [
      "a negative llm timeout",
      { agent: { llm_timeout: -1 } },
      "agent.llm_timeout: expected a number of seconds > 0, got -1",
    ],
    [
      "tiny max tokens",
      { agent: { max_tokens_per_turn: 15 } },
      "agent.max_tokens_per_turn: expected an integer >= 16, got 15",
    ],
    [
      "a zero budget",
      { agent: { total_token_budget: 0 } },
      "agent.total_token_budget: expected an integer >= 1, got 0",
    ],
    [
      "a hot temperature",
      { agent: { temperature: 2.5 } },
      "agent.temperature: expected a number from 0 to 2, got 2.5",
    ],
    [
      "a stagnation of 1",
      { agent: { stagnation_threshold: 1 } },
      "agent.stagnation_threshold: expected an integer >= 2, got 1",
    ],
    [
      "an unknown engine",
      { server: { engine: "vllm" } },
      'server.engine: expected one of auto, llama.cpp, mlx, ollama, openai, got "vllm"',
    ],
    [
      "an unknown speculative mode",
      { server: { speculative: "bogus" } },
      'server.speculative: expected one of auto, off, ngram, draft, got "bogus"',
    ],
    ["port 0", { server: { port: 0 } }, "server.port: expected an integer from 1 to 65535, got 0"],
    [
      "port 65536",
      { server: { port: 65536 } },
      "server.port: expected an integer from 1 to 65535, got 65536",
    ],
    [
      "a port as text",
      { server: { port: "8080" } },
      'server.port: expected an integer from 1 to 65535, got "8080"',
    ],
    ["an empty host", { server: { host: "" } }, 'server.host: expected a host name or address, got ""'],
    [
      "a non-http base_url",
      { server: { base_url: "file:///etc/passwd" } },
      "server.base_url: expected an http or https URL",
    ],
    ["a section that is a list", { agent: [1] }, "agent: expected a mapping, got a list"],
  ];
  for (const [what, value, expected] of cases) {
    await t.step(what, () => {
      const message = rejects(value);
      assert.ok(message.startsWith(`${LABEL}: ${expected}`), message);
    });
  }
});

Deno.test("checkPartialConfig() validates camelCase layers with the file's key names", async (t) => {
  await t.step("a bad value names the file key", () => {
    assert.throws(
      () => checkPartialConfig({ agent: { maxAttempts: -3 } }, "Invalid flags"),
      { name: "ConfigError", message: "Invalid flags: agent.max_attempts: expected an integer >= 1, got -3" },
    );
  });
  await t.step("an unknown camelCase key is reported as it was written", () => {
    const bad = { agent: { maxAtempts: 3 } } as unknown as PartialConfig;
    assert.throws(() => checkPartialConfig(bad, "Invalid flags"), {
      message: "Invalid flags: agent.maxAtempts: unknown key",
    });
  });
  await t.step("undefined values are dropped", () => {
    assert.deepEqual(
      checkPartialConfig({ agent: { maxAttempts: undefined, temperature: 1 }, server: undefined }, "x"),
      { agent: { temperature: 1 } },
    );
  });
});
