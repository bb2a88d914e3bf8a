/**
 * A hand-written fake ChatModel: answers from a script and records every request.
 *
 * @module
 */
import type { ChatModel, ChatRequest, ModelReply } from "../../lib/types.ts";

/** A ChatModel that streams each scripted reply through `onToken`, or throws the scripted error. */
export class RecordingModel implements ChatModel {
  readonly requests: ChatRequest[] = [];
  readonly #script: (ModelReply | Error)[];

  constructor(script: (ModelReply | Error)[]) {
    this.#script = [...script];
  }

  chat(request: ChatRequest): Promise<ModelReply> {
    this.requests.push(request);
    const next = this.#script.shift();
    if (next === undefined) return Promise.reject(new RangeError("The fake model has no reply left"));
    if (next instanceof Error) return Promise.reject(next);
    for (const piece of next.text.match(/[\s\S]{1,5}/g) ?? []) request.onToken?.(piece);
    return Promise.resolve(next);
  }
}
