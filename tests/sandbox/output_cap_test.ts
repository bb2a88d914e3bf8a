import assert from "node:assert/strict";
import { captureStream, DEFAULT_MAX_OUTPUT_BYTES, omittedMarker } from "../../lib/sandbox/output_cap.ts";

const encoder = new TextEncoder();

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  return ReadableStream.from(chunks.map((c) => encoder.encode(c)));
}

Deno.test("captureStream() keeps short output whole", async () => {
  const captured = await captureStream(streamOf(["hello ", "world\n"]));
  assert.deepEqual(captured, { text: "hello world\n", bytes: 12, truncated: false });
});

Deno.test("captureStream() keeps output of exactly the cap whole", async () => {
  const captured = await captureStream(streamOf(["abcd", "efgh"]), { maxBytes: 8 });
  assert.deepEqual(captured, { text: "abcdefgh", bytes: 8, truncated: false });
});

Deno.test("captureStream() keeps head and tail and marks what it omitted", async (t) => {
  await t.step("over many small chunks", async () => {
    const chunks = Array.from({ length: 100 }, (_, i) => `${String(i).padStart(2, "0")}\n`);
    const captured = await captureStream(streamOf(chunks), { maxBytes: 12 });
    assert.equal(captured.bytes, 300);
    assert.equal(captured.truncated, true);
    assert.equal(captured.text, `00\n01\n${omittedMarker(288)}\n98\n99\n`);
  });
  await t.step("from one chunk larger than the cap", async () => {
    const captured = await captureStream(streamOf(["a".repeat(10) + "b".repeat(1000) + "c".repeat(10)]), {
      maxBytes: 20,
    });
    assert.equal(captured.bytes, 1020);
    assert.equal(captured.text, `${"a".repeat(10)}\n${omittedMarker(1000)}\n${"c".repeat(10)}`);
  });
  await t.step("with the default cap of 64 KiB", async () => {
    const line = "x".repeat(1023) + "\n";
    const captured = await captureStream(streamOf(Array.from({ length: 200 }, () => line)));
    assert.equal(DEFAULT_MAX_OUTPUT_BYTES, 65_536);
    assert.equal(captured.bytes, 200 * 1024);
    assert.match(
      captured.text,
      new RegExp(`\\n\\[\\.\\.\\. ${200 * 1024 - 65_536} bytes omitted \\.\\.\\.\\]\\n`),
    );
  });
});

Deno.test("captureStream() cuts at character boundaries", async () => {
  // "é" is two bytes: a cap of 5 + 5 bytes splits characters at both edges.
  const captured = await captureStream(streamOf(["ééééé", "-", "ééééé"]), { maxBytes: 10 });
  assert.equal(captured.bytes, 21);
  assert.equal(captured.truncated, true);
  assert.equal(captured.text, `éé\n${omittedMarker(11)}\néé`);
  assert.ok(!captured.text.includes("\uFFFD"));
});

Deno.test("captureStream() returns what it read when the signal aborts", async () => {
  let pulls = 0;
  let cancelled = false;
  const { promise: starved, resolve: onStarved } = Promise.withResolvers<void>();
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulls++;
      if (pulls <= 2) controller.enqueue(encoder.encode(`chunk ${pulls}\n`));
      else onStarved();
      // Then never enqueue again: like a pipe a grandchild keeps open.
    },
    cancel() {
      cancelled = true;
    },
  });
  const controller = new AbortController();
  const capture = captureStream(endless, { signal: controller.signal });
  await starved;
  controller.abort();
  const captured = await capture;
  assert.deepEqual(captured, { text: "chunk 1\nchunk 2\n", bytes: 16, truncated: false });
  assert.equal(cancelled, true);
});

Deno.test("captureStream() rejects a cap below two bytes", async () => {
  await assert.rejects(captureStream(streamOf([]), { maxBytes: 1 }), RangeError);
});
