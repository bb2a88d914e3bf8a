/**
 * Speculative decoding and pinned slots against the real llama-server and the tiny test model (random
 * weights: it writes repetitive nonsense, fast, which suits prompt lookup). Speed is not asserted here;
 * the benchmark measures it.
 */
import assert from "node:assert/strict";
import { ensureServer, type ServerSpec } from "../../lib/server/lifecycle.ts";
import { serverStatus } from "../../lib/server/server_status.ts";
import { type SpawnServer, spawnServer } from "../../lib/server/process_group.ts";
import { NGRAM_DEFAULT, type Speculation } from "../../lib/server/speculation.ts";
import { openAIModel } from "../../lib/llm/client.ts";
import { connectModel } from "../../lib/setup/connect_model.ts";
import { PERSONA_SLOTS } from "../../lib/setup/speculation.ts";
import { resolveConfig } from "../../lib/config/resolve.ts";
import type { ChatMessage, ChatModel, ModelReply } from "../../lib/types.ts";
import { requires } from "../_tier.ts";
import { assertNoServerLeft, freePort, realEngine } from "./_helpers.ts";

const REAL = requires("llama-server", "tiny model");

/** Prompts like the loop's: a first turn, and a retry holding the previous program to rewrite. */
const PROMPTS: ChatMessage[][] = [
  [{ role: "user", content: "Write a Python program that prints the first ten Fibonacci numbers." }],
  [{
    role: "user",
    content: "Rewrite this program so it prints squares, keeping the rest:\n```python\n" +
      "for i in range(10):\n    print(i)\n```",
  }],
  [{ role: "user", content: "def add(a, b):\n    return a + b\n\nRepeat the code above exactly." }],
];

async function replies(model: ChatModel): Promise<ModelReply[]> {
  const out: ModelReply[] = [];
  for (const messages of PROMPTS) {
    out.push(await model.chat({ messages, maxTokens: 96, temperature: 0, timeoutMs: 120_000 }));
  }
  return out;
}

/** Serves the tiny model with `speculation` in a fresh state dir; the callback gets the model and spec. */
async function withServer<T>(
  speculation: Speculation,
  work: (model: ChatModel, spec: ServerSpec & { stateDir: string }) => Promise<T>,
  spawn: SpawnServer = spawnServer,
): Promise<T> {
  const { binary, model } = await realEngine();
  const stateDir = await Deno.makeTempDir();
  const port = freePort();
  const spec = { engine: "llama.cpp" as const, model, binary, host: "127.0.0.1", port, speculation };
  try {
    await using server = await ensureServer(spec, { stateDir, spawn });
    return await work(openAIModel({ baseUrl: server.baseUrl, model: server.model }), { ...spec, stateDir });
  } finally {
    assertNoServerLeft(port);
    await Deno.remove(stateDir, { recursive: true });
  }
}

Deno.test("speculative decoding writes the same text as plain decoding at temperature 0", REAL, async (t) => {
  const plain = await withServer({ kind: "off" }, replies);
  assert.equal(plain[0].timings?.draftTokens, undefined, "no drafts without speculation");
  const { model } = await realEngine();
  const modes: [string, Speculation][] = [
    ["ngram (prompt lookup)", { kind: "ngram", ngram: { ...NGRAM_DEFAULT } }],
    ["draft (the tiny model drafting for itself)", { kind: "draft", draft: { model, nMax: 8 } }],
  ];
  for (const [name, speculation] of modes) {
    await t.step(name, async () => {
      const got = await withServer(speculation, async (chat, spec) => {
        const status = await serverStatus({ stateDir: spec.stateDir, port: spec.port });
        assert.equal(status.kind, "running");
        if (status.kind === "running") {
          assert.deepEqual(status.speculation, speculation, "the state file records it");
          assert.ok(status.slots?.every((s) => s.speculative), "every slot speculates");
        }
        return await replies(chat);
      });
      assert.deepEqual(got.map((r) => r.text), plain.map((r) => r.text));
      const drafted = got.reduce((n, r) => n + (r.timings?.draftTokens ?? 0), 0);
      const accepted = got.reduce((n, r) => n + (r.timings?.draftAccepted ?? 0), 0);
      assert.ok(drafted > 0, "the server reports drafted tokens");
      assert.ok(accepted > 0 && accepted <= drafted, `accepted ${accepted} of ${drafted}`);
    });
  }
});

/** Spawns llama-server with LLAMA_SERVER_SLOTS_DEBUG=1, so `/slots` shows each slot's prompt text. */
const debugSlots: SpawnServer = (request) =>
  spawnServer({ ...request, env: { ...request.env, LLAMA_SERVER_SLOTS_DEBUG: "1" } });

interface SlotState {
  id: number;
  prompt?: string;
}

async function slotPrompts(port: number): Promise<Map<number, string | undefined>> {
  const response = await fetch(`http://127.0.0.1:${port}/slots`);
  const slots = await response.json() as SlotState[];
  return new Map(slots.map((s) => [s.id, s.prompt]));
}

Deno.test("pinned slots: the Coder's prompt sits in slot 0 and the Sheriff's in slot 1", REAL, async () => {
  const { model } = await realEngine();
  const stateDir = await Deno.makeTempDir();
  const port = freePort();
  const config = resolveConfig({
    flags: { server: { engine: "llama.cpp", model, port, speculative: "off" } },
  });
  try {
    await using connection = await connectModel(config, {
      noServer: false,
      say: () => {},
      lifecycle: { stateDir, spawn: debugSlots },
    });
    assert.deepEqual(connection.slots, PERSONA_SLOTS, "run and bench pin personas on llama.cpp");
    const ask = (persona: "coder" | "sheriff", content: string) =>
      connection.model.chat({
        messages: [{ role: "user", content }],
        maxTokens: 8,
        temperature: 0,
        timeoutMs: 60_000,
        persona,
      });
    // Unpinned, this llama-server serves back-to-back requests from one slot (slot 1 when both are
    // empty), so each persona's prompt evicts the other's: the order below would fail every check.
    await ask("coder", "CODER-TASK: print the first ten Fibonacci numbers.");
    let prompts = await slotPrompts(port);
    assert.match(prompts.get(0) ?? "", /CODER-TASK/);
    assert.doesNotMatch(prompts.get(1) ?? "", /CODER-TASK/);
    await ask("sheriff", "SHERIFF-REVIEW: is this program right?");
    const retry = await ask(
      "coder",
      "CODER-TASK: print the first ten Fibonacci numbers. Retry after a failure.",
    );
    prompts = await slotPrompts(port);
    assert.match(prompts.get(0) ?? "", /CODER-TASK: .* Retry after a failure/);
    assert.match(
      prompts.get(1) ?? "",
      /SHERIFF-REVIEW/,
      "the Coder's retry did not evict the Sheriff's prefix",
    );
    assert.ok(retry.usage.cachedTokens > 0, "the retry reuses the Coder's cached prefix in its slot");
  } finally {
    assertNoServerLeft(port);
    await Deno.remove(stateDir, { recursive: true });
  }
});
