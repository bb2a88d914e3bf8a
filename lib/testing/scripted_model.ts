/**
 * A model that answers from a script: the loop, the agents and anything else that talks to a
 * `ChatModel` can be tested without a model server.
 *
 * @module
 */
import type { ChatModel, ChatRequest, FinishReason, ModelReply, Usage } from "../types.ts";
import { ModelError } from "../errors.ts";
import { reply } from "./replies.ts";

/**
 * One scripted answer:
 * - a string: the reply text, finished with `stop`;
 * - `{ text, finishReason?, usage?, ms?, timings? }`: a reply with its details (a whole `ModelReply`
 *   fits here, and comes back equal);
 * - `{ hang: true }`: no answer at all, as the real client sees it: a `ModelError` "timeout" once the
 *   request's stall limit (`stallMs`, else `timeoutMs`) passes
 *   or its signal aborts (then an `AbortError`), as a stuck server would;
 * - `{ error }`: the call throws `error`, as a failing server would (use a `ModelError`).
 */
export type ScriptedReply =
  | string
  | {
    text: string;
    finishReason?: FinishReason;
    usage?: Partial<Usage>;
    ms?: number;
    timings?: ModelReply["timings"];
  }
  | { hang: true }
  | { error: Error };

/** Picks the answer to one request; `index` counts requests from 0. */
export type ScriptedResponder = (
  request: ChatRequest,
  index: number,
) => ScriptedReply | Promise<ScriptedReply>;

/** A `ChatModel` that answers from a script, and records every request it was sent. */
export interface ScriptedModel extends ChatModel {
  /** Every request, in the order it came. */
  readonly requests: ChatRequest[];
  /** How many scripted answers are left (0 for a responder function). */
  remaining(): number;
}

/**
 * A model answering from `script`: an array used in order (one entry per request; a request beyond
 * its end throws a `RangeError`), or a function picking each answer. The reply text is streamed to
 * `onToken` in pieces of up to 16 characters before the reply resolves; an aborted signal rejects with
 * its reason, as the real client does.
 *
 * @example A Coder turn and a Sheriff turn
 * ```ts
 * import assert from "node:assert/strict";
 * import { coderReply, scriptedModel, sheriffReply } from "@factory/factory/testing";
 *
 * const model = scriptedModel([coderReply("print(1)"), sheriffReply("PASS")]);
 * const first = await model.chat({ messages: [], maxTokens: 100, temperature: 0, timeoutMs: 1000 });
 * assert.match(first.text, /print\(1\)/);
 * assert.equal(model.remaining(), 1);
 * ```
 */
export function scriptedModel(script: ScriptedReply[] | ScriptedResponder): ScriptedModel {
  const queue = Array.isArray(script) ? [...script] : undefined;
  const requests: ChatRequest[] = [];
  const next = (request: ChatRequest, index: number) => {
    if (!queue) return (script as ScriptedResponder)(request, index);
    const item = queue.shift();
    if (item === undefined) throw new RangeError(`scriptedModel: no reply left for request ${index + 1}`);
    return item;
  };
  return {
    requests,
    remaining: () => queue?.length ?? 0,
    async chat(request) {
      requests.push(request);
      const item = await next(request, requests.length - 1);
      if (typeof item === "object" && "error" in item) throw item.error;
      if (typeof item === "object" && "hang" in item) return await hang(request);
      await Promise.resolve();
      if (request.signal?.aborted) throw request.signal.reason;
      const answer = typeof item === "string" ? { text: item } : item;
      for (const piece of answer.text.match(/[\s\S]{1,16}/g) ?? []) request.onToken?.(piece);
      const { text, finishReason, usage, ms, timings } = answer;
      return {
        ...reply(text, finishReason, usage),
        ...(ms === undefined ? {} : { ms }),
        ...(timings && { timings }),
      };
    },
  };
}

function hang(request: ChatRequest): Promise<ModelReply> {
  // Like the real client: a server that sends nothing fails the call once the stall limit passes.
  const stallMs = Math.min(request.stallMs ?? request.timeoutMs, request.timeoutMs);
  return new Promise((_, reject) => {
    if (request.signal?.aborted) return reject(request.signal.reason);
    const timer = setTimeout(() => {
      request.signal?.removeEventListener("abort", onAbort);
      reject(new ModelError(`Model server sent no answer within ${stallMs / 1000} s`, "timeout"));
    }, stallMs);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DOMException("Aborted", "AbortError"));
    };
    request.signal?.addEventListener("abort", onAbort, { once: true });
  });
}
