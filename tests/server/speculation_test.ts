import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors.ts";
import { llamaCppArgv } from "../../lib/server/engines/llama_cpp.ts";
import {
  AUTO_SPECULATIVE,
  describeSpeculation,
  NGRAM_DEFAULT,
  NO_SPECULATION,
  sameSpeculation,
  type Speculation,
  speculationArgs,
  SpeculationSchema,
  speculativeModeFor,
} from "../../lib/server/speculation.ts";
import { ENGINE_NAMES } from "../../lib/types.ts";

const NGRAM: Speculation = { kind: "ngram", ngram: { ...NGRAM_DEFAULT } };
const DRAFT: Speculation = { kind: "draft", draft: { model: "/m/small.gguf", nMax: 8, nMin: 1 } };

Deno.test("speculationArgs() gives llama-server's flags for each mode", async (t) => {
  await t.step("off: none", () => assert.deepEqual(speculationArgs(NO_SPECULATION), []));
  await t.step("ngram: ngram-mod with its parameters written out", () => {
    assert.deepEqual(speculationArgs(NGRAM), [
      "--spec-type",
      "ngram-mod",
      "--spec-ngram-mod-n-match",
      "24",
      "--spec-ngram-mod-n-min",
      "48",
      "--spec-ngram-mod-n-max",
      "64",
    ]);
  });
  await t.step("the other n-gram types take size-n, size-m and min-hits", () => {
    const simple: Speculation = { kind: "ngram", ngram: { type: "ngram-simple", sizeN: 8, minHits: 2 } };
    assert.deepEqual(speculationArgs(simple), [
      "--spec-type",
      "ngram-simple",
      "--spec-ngram-simple-size-n",
      "8",
      "--spec-ngram-simple-min-hits",
      "2",
    ]);
  });
  await t.step("draft: the draft model and its draft lengths", () => {
    assert.deepEqual(speculationArgs(DRAFT), [
      "--spec-type",
      "draft-simple",
      "--model-draft",
      "/m/small.gguf",
      "--spec-draft-n-max",
      "8",
      "--spec-draft-n-min",
      "1",
    ]);
  });
  await t.step("llamaCppArgv() appends them after the slots", () => {
    const spec = {
      program: "llama-server",
      model: "/m/x.gguf",
      host: "h",
      port: 1,
      contextSize: 8,
      parallel: 2,
    };
    const argv = llamaCppArgv({ ...spec, speculation: NGRAM });
    assert.deepEqual(argv.slice(argv.indexOf("--slots") + 1), speculationArgs(NGRAM));
    assert.equal(llamaCppArgv(spec).at(-1), "--slots", "no speculation unless asked");
  });
});

Deno.test("speculativeModeFor() resolves auto per engine and refuses modes an engine cannot run", async (t) => {
  await t.step("auto follows the table: ngram on llama.cpp, off elsewhere", () => {
    for (const engine of ENGINE_NAMES) {
      assert.equal(speculativeModeFor("auto", engine), AUTO_SPECULATIVE[engine]);
    }
    assert.equal(AUTO_SPECULATIVE["llama.cpp"], "ngram");
  });
  await t.step("off anywhere; ngram and draft on llama.cpp", () => {
    assert.equal(speculativeModeFor("off", "ollama"), "off");
    assert.equal(speculativeModeFor("draft", "llama.cpp"), "draft");
  });
  await t.step("ngram on ollama is one clear ConfigError", () => {
    assert.throws(
      () => speculativeModeFor("ngram", "ollama"),
      new ConfigError("server.speculative: ngram needs the llama.cpp engine, not ollama (use auto or off)"),
    );
  });
});

Deno.test("describeSpeculation(), sameSpeculation() and the schema agree on what a server runs", async (t) => {
  await t.step("one line each", () => {
    assert.equal(describeSpeculation(NO_SPECULATION), "off");
    assert.equal(describeSpeculation(NGRAM), "ngram (ngram-mod, n-match 24, n-min 48, n-max 64)");
    assert.equal(describeSpeculation(DRAFT), "draft (small.gguf, n-max 8, n-min 1)");
  });
  await t.step("same settings are the same; another parameter or draft file is not", () => {
    assert.ok(sameSpeculation(NGRAM, { kind: "ngram", ngram: { ...NGRAM_DEFAULT } }));
    assert.ok(!sameSpeculation(NGRAM, { kind: "ngram", ngram: { ...NGRAM_DEFAULT, nMatch: 16 } }));
    assert.ok(!sameSpeculation(NGRAM, NO_SPECULATION));
    assert.ok(!sameSpeculation(DRAFT, { kind: "draft", draft: { ...DRAFT.draft, model: "/x/small.gguf" } }));
  });
  await t.step("the state file's schema reads each back, and refuses an unknown n-gram type", () => {
    for (const s of [NO_SPECULATION, NGRAM, DRAFT]) assert.deepEqual(SpeculationSchema.parse(s), s);
    assert.equal(SpeculationSchema.safeParse({ kind: "ngram", ngram: { type: "ngram-x" } }).success, false);
  });
});
