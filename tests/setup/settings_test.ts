import assert from "node:assert/strict";
import { join } from "node:path";
import { resolveSettings, settingsFrom } from "../../lib/setup/settings.ts";
import { DEFAULT_CONFIG, type PartialConfig } from "../../lib/config/schema.ts";
import type { Config } from "../../lib/config/schema.ts";
import { runTask } from "../../lib/orchestrator/run_task.ts";
import { coderReply, fakeExecutor, scriptedModel, sheriffReply } from "../_fakes.ts";
import { pyTask, tempDir } from "../_helpers.ts";

/** One setting: where it lives in the config, a value for each layer, and whether a task file may set it. */
interface Row {
  path: ["server" | "agent", string];
  file: unknown;
  task?: { key: "maxAttempts" | "timeoutSec"; value: number; resolved: unknown };
  flags: unknown;
}

const ROWS: Row[] = [
  { path: ["server", "engine"], file: "ollama", flags: "llama.cpp" },
  { path: ["server", "model"], file: "from-file", flags: "from-flags" },
  { path: ["server", "host"], file: "127.0.0.2", flags: "127.0.0.3" },
  { path: ["server", "port"], file: 9001, flags: 9002 },
  { path: ["server", "baseUrl"], file: "http://file.test/v1", flags: "http://flags.test/v1" },
  { path: ["server", "speculative"], file: "off", flags: "ngram" },
  {
    path: ["agent", "maxAttempts"],
    file: 7,
    task: { key: "maxAttempts", value: 9, resolved: 9 },
    flags: 2,
  },
  {
    path: ["agent", "executionTimeoutSec"],
    file: 30,
    task: { key: "timeoutSec", value: 20, resolved: 20 },
    flags: 5,
  },
  { path: ["agent", "llmTimeoutSec"], file: 90, flags: 45 },
  { path: ["agent", "maxTokensPerTurn"], file: 1024, flags: 256 },
  { path: ["agent", "totalTokenBudget"], file: 50_000, flags: 20_000 },
  { path: ["agent", "temperature"], file: 0.5, flags: 1 },
  { path: ["agent", "retryTemperature"], file: 0.3, flags: 0 },
  { path: ["agent", "stagnationThreshold"], file: 4, flags: 2 },
];

function layer(path: Row["path"], value: unknown): PartialConfig {
  return { [path[0]]: { [path[1]]: value } } as PartialConfig;
}

function read(config: Config, path: Row["path"]): unknown {
  return (config[path[0]] as unknown as Record<string, unknown>)[path[1]];
}

Deno.test("settings: defaults < factory.yaml < task file < flags, for every setting", async (t) => {
  const covered = new Set(ROWS.map((r) => r.path.join(".")));
  await t.step("the table covers every key of the config", () => {
    for (const section of ["server", "agent"] as const) {
      for (const key of Object.keys(DEFAULT_CONFIG[section])) {
        assert.ok(covered.has(`${section}.${key}`), key);
      }
    }
    for (const key of ["server.model", "server.baseUrl"]) assert.ok(covered.has(key), key);
  });
  for (const row of ROWS) {
    await t.step(row.path.join("."), () => {
      const task = pyTask(row.task ? { [row.task.key]: row.task.value } : {});
      const plain = pyTask();
      const fallback = (DEFAULT_CONFIG[row.path[0]] as unknown as Record<string, unknown>)[row.path[1]];
      assert.equal(read(settingsFrom(plain).config, row.path), fallback, "default");
      const file = layer(row.path, row.file);
      assert.equal(read(settingsFrom(plain, { file }).config, row.path), row.file, "file beats default");
      const withTask = settingsFrom(task, { file }).config;
      assert.equal(read(withTask, row.path), row.task ? row.task.resolved : row.file, "task file beats file");
      const flags = layer(row.path, row.flags);
      assert.equal(read(settingsFrom(task, { file, flags }).config, row.path), row.flags, "flags beat all");
    });
  }
  await t.step("sandbox: default auto < factory.yaml < flags", () => {
    assert.equal(settingsFrom(pyTask()).sandbox, "auto");
    assert.equal(settingsFrom(pyTask(), { file: { sandbox: "off" } }).sandbox, "off");
    assert.equal(
      settingsFrom(pyTask(), { file: { sandbox: "off" }, flags: { sandbox: "require" } }).sandbox,
      "require",
    );
  });
});

Deno.test("settings: a task file's timeout 20 with --timeout 5 gives the program 5 s", async (t) => {
  await using dir = await tempDir();
  const taskPath = join(dir.path, "task.yaml");
  await Deno.writeTextFile(taskPath, "description: Print 1\ntimeout: 20\nmax_attempts: 1\n");
  const settings = await resolveSettings({
    task: { kind: "file", path: taskPath },
    flags: { agent: { executionTimeoutSec: 5 } },
    cwd: dir.path,
  });

  await t.step("the resolved limits", () => {
    assert.equal(settings.limits.executionTimeoutMs, 5_000);
    assert.equal(settings.limits.maxAttempts, 1, "the task file's max_attempts still applies");
  });

  await t.step("the loop hands the program exactly that limit", async () => {
    const executor = fakeExecutor([{ stdout: "1\n" }]);
    const model = scriptedModel([coderReply("print(1)"), sheriffReply("PASS")]);
    const result = await runTask(settings.task, {
      model,
      executor,
      limits: settings.limits,
      outDir: join(dir.path, "runs"),
    });
    assert.equal(result.status, "passed");
    assert.deepEqual(executor.programs.map((p) => p.timeoutMs), [5_000]);
  });

  await t.step("without the flag the task file's 20 s applies", async () => {
    const fromFile = await resolveSettings({ task: { kind: "file", path: taskPath }, cwd: dir.path });
    assert.equal(fromFile.limits.executionTimeoutMs, 20_000);
  });

  await t.step("factory.yaml in cwd is read, and an empty text task is one clear error", async () => {
    await Deno.writeTextFile(join(dir.path, "factory.yaml"), "agent:\n  llm_timeout: 33\n");
    const withFile = await resolveSettings({ task: { kind: "text", text: "Print 2" }, cwd: dir.path });
    assert.equal(withFile.limits.llmTimeoutMs, 33_000);
    assert.equal(withFile.configPath, join(dir.path, "factory.yaml"));
    await assert.rejects(
      () => resolveSettings({ task: { kind: "text", text: " " }, cwd: dir.path }),
      /No task given/,
    );
  });
});
