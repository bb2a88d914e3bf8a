import assert from "node:assert/strict";
import type { Task } from "../../lib/types.ts";
import { limitsFor, resolveConfig } from "../../lib/config/resolve.ts";
import { type Config, DEFAULT_CONFIG, type PartialConfig } from "../../lib/config/schema.ts";

function task(overrides: Partial<Task> = {}): Task {
  return {
    name: "t",
    description: "Print hello.",
    constraints: [],
    language: "python",
    checks: {},
    ...overrides,
  };
}

Deno.test("resolveConfig() with no layers gives every default", () => {
  const config = resolveConfig({});
  assert.deepEqual(config, {
    server: { engine: "auto", host: "127.0.0.1", port: 8080, speculative: "auto" },
    agent: {
      maxAttempts: 5,
      executionTimeoutSec: 60,
      llmTimeoutSec: 120,
      maxTokensPerTurn: 2048,
      totalTokenBudget: 100000,
      temperature: 0,
      retryTemperature: 0.7,
      stagnationThreshold: 3,
    },
  });
  assert.equal(config.server.model, undefined);
  assert.equal(config.server.baseUrl, undefined);
  assert.notEqual(config.agent, DEFAULT_CONFIG.agent, "a copy, not the frozen defaults");
});

Deno.test("resolveConfig() applies defaults < file < task < flags", async (t) => {
  const file: PartialConfig = {
    server: { engine: "ollama", port: 11434, model: "from-file" },
    agent: { maxAttempts: 7, executionTimeoutSec: 30, llmTimeoutSec: 90, temperature: 0.5 },
  };
  const fromTask = task({ maxAttempts: 9, timeoutSec: 15 });
  const flags: PartialConfig = { server: { model: "from-flags" }, agent: { maxAttempts: 2, temperature: 1 } };

  await t.step("the file overrides the defaults it sets, and only those", () => {
    const config = resolveConfig({ file });
    assert.equal(config.server.engine, "ollama");
    assert.equal(config.server.port, 11434);
    assert.equal(config.server.host, DEFAULT_CONFIG.server.host);
    assert.equal(config.agent.maxAttempts, 7);
    assert.equal(config.agent.maxTokensPerTurn, DEFAULT_CONFIG.agent.maxTokensPerTurn);
  });
  await t.step("the task's max_attempts and timeout override the file", () => {
    const config = resolveConfig({ file, task: fromTask });
    assert.equal(config.agent.maxAttempts, 9);
    assert.equal(config.agent.executionTimeoutSec, 15);
    assert.equal(config.agent.llmTimeoutSec, 90, "the task sets no llm timeout");
    assert.equal(config.server.model, "from-file");
  });
  await t.step("a task without limits leaves the file's", () => {
    const config = resolveConfig({ file, task: task() });
    assert.equal(config.agent.maxAttempts, 7);
    assert.equal(config.agent.executionTimeoutSec, 30);
  });
  await t.step("flags override everything", () => {
    const config = resolveConfig({ file, task: fromTask, flags });
    assert.deepEqual(config, {
      server: { engine: "ollama", host: "127.0.0.1", port: 11434, model: "from-flags", speculative: "auto" },
      agent: {
        maxAttempts: 2,
        executionTimeoutSec: 15,
        llmTimeoutSec: 90,
        maxTokensPerTurn: 2048,
        totalTokenBudget: 100000,
        temperature: 1,
        retryTemperature: 0.7,
        stagnationThreshold: 3,
      },
    });
  });
  await t.step("flags left undefined do not override", () => {
    const config = resolveConfig({ file, flags: { agent: { maxAttempts: undefined }, server: {} } });
    assert.equal(config.agent.maxAttempts, 7);
    assert.equal(config.server.model, "from-file");
  });
  await t.step("the layers are not changed", () => {
    const before = structuredClone(file);
    resolveConfig({ file, task: fromTask, flags });
    assert.deepEqual(file, before);
    assert.equal(DEFAULT_CONFIG.agent.maxAttempts, 5);
  });
});

Deno.test("resolveConfig() rejects an invalid layer naming the key", async (t) => {
  await t.step("flags", () => {
    assert.throws(() => resolveConfig({ flags: { agent: { maxAttempts: -3 } } }), {
      name: "ConfigError",
      message: "Invalid flags: agent.max_attempts: expected an integer >= 1, got -3",
    });
  });
  await t.step("a hand-built file layer", () => {
    assert.throws(() => resolveConfig({ file: { server: { port: 0 } } }), {
      name: "ConfigError",
      message: "Invalid config: server.port: expected an integer from 1 to 65535, got 0",
    });
  });
  await t.step("a hand-built task", () => {
    assert.throws(() => resolveConfig({ task: task({ timeoutSec: -1 }) }), {
      name: "ConfigError",
      message: /^Invalid task t: agent\.execution_timeout: expected a number of seconds > 0, got -1$/,
    });
  });
});

Deno.test("limitsFor() converts seconds to milliseconds and copies the rest", async (t) => {
  await t.step("the defaults", () => {
    assert.deepEqual(limitsFor(resolveConfig({})), {
      maxAttempts: 5,
      executionTimeoutMs: 60_000,
      llmTimeoutMs: 120_000,
      maxTokensPerTurn: 2048,
      totalTokenBudget: 100_000,
      temperature: 0,
      retryTemperature: 0.7,
      stagnationThreshold: 3,
    });
  });
  await t.step("fractional and tiny seconds", () => {
    const config: Config = resolveConfig({
      flags: { agent: { executionTimeoutSec: 0.25, llmTimeoutSec: 0.0001 } },
    });
    const limits = limitsFor(config);
    assert.equal(limits.executionTimeoutMs, 250);
    assert.equal(limits.llmTimeoutMs, 1, "never rounded down to zero");
  });
});
