import assert from "node:assert/strict";
import { join } from "node:path";
import { DEFAULT_MBPP_PATH, loadMbpp, MBPP_SHA256, parseMbpp } from "../../lib/bench/mbpp.ts";
import { ConfigError } from "../../lib/errors.ts";
import { tempDir } from "../_helpers.ts";
import { NO_MBPP } from "./_mbpp_data.ts";

const RAW = {
  task_id: 7,
  prompt: " Write a function. ",
  code: "def f(x):\n    return x",
  test_imports: [],
  test_list: ["assert f(1) == 1"],
  source_file: "ignored",
};

Deno.test("parseMbpp()", async (t) => {
  await t.step("maps the records to camelCase, trims the prompt and sorts by task id", () => {
    const records = parseMbpp([{ ...RAW, task_id: 9 }, RAW]);
    assert.deepEqual(records.map((r) => r.taskId), [7, 9]);
    assert.deepEqual(records[0], {
      taskId: 7,
      prompt: "Write a function.",
      code: RAW.code,
      testImports: [],
      tests: ["assert f(1) == 1"],
    });
  });
  await t.step("rejects a record without tests, naming the field", () => {
    assert.throws(() => parseMbpp([{ ...RAW, test_list: [] }]), (e) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /^Invalid MBPP data: 0\.test_list: /);
      return true;
    });
  });
  await t.step("rejects a test that is not an assert", () => {
    assert.throws(() => parseMbpp([{ ...RAW, test_list: ["print(1)"] }]), ConfigError);
  });
});

Deno.test("loadMbpp()", async (t) => {
  await t.step({
    name: "reads the shipped data set, checking its hash: 427 tasks sorted by id, each with asserts",
    ignore: NO_MBPP,
    fn: async () => {
      const records = await loadMbpp();
      assert.equal(records.length, 427);
      assert.equal(records[0].taskId, 2);
      assert.ok(records.every((r, i) => i === 0 || records[i - 1].taskId < r.taskId));
      assert.ok(records.every((r) => r.tests.length >= 3));
    },
  });
  await t.step({
    name: "the shipped file is in the project and has the pinned sha256",
    ignore: NO_MBPP,
    fn: () => {
      assert.match(DEFAULT_MBPP_PATH, /bench\/data\/mbpp\/sanitized-mbpp\.json$/);
      assert.equal(MBPP_SHA256, "ca95deaa9a01ef0a6f439f88bcf0dd3db3563d22f22aad6cae04ebb9a8d8c8e9");
    },
  });
  await t.step("refuses a file whose sha256 is not the expected one", async () => {
    await using dir = await tempDir();
    const path = join(dir.path, "mbpp.json");
    await Deno.writeTextFile(path, JSON.stringify([RAW]));
    await assert.rejects(
      loadMbpp(path, { sha256: MBPP_SHA256 }),
      (e) =>
        e instanceof ConfigError &&
        e.message.startsWith(`MBPP data in ${path} is not the expected file: sha256 `),
    );
    assert.equal((await loadMbpp(path)).length, 1, "a data set of one's own is not hash-checked");
  });
  await t.step("says which file is missing", async () => {
    await using dir = await tempDir();
    const path = join(dir.path, "nope.json");
    await assert.rejects(loadMbpp(path), (e) => e instanceof ConfigError && e.message.includes(path));
  });
  await t.step("says which file is not JSON", async () => {
    await using dir = await tempDir();
    const path = join(dir.path, "bad.json");
    await Deno.writeTextFile(path, "{");
    await assert.rejects(
      loadMbpp(path),
      (e) => e instanceof ConfigError && e.message.startsWith("Invalid MBPP"),
    );
  });
});
