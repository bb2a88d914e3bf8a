/**
 * The Coder's turn: build its prompt, ask the model, find the program in the reply.
 *
 * @module
 */
import type { Attempt, ChatMessage, ChatModel, Draft, Task } from "../types.ts";
import { coderMessages } from "./prompts.ts";
import { extractCode } from "./extract_code.ts";
import { chatRequest, type TurnOptions } from "./turn_options.ts";

/**
 * Asks the Coder for a program for `task`, showing it `history` (its earlier attempts, oldest first, and
 * the feedback on each) on a retry, or only the last attempt's feedback with `prompt.afresh`. Returns the messages sent and the draft found in the reply. A `ModelError` or an
 * "AbortError" from the model propagates.
 */
export async function coderTurn(
  model: ChatModel,
  task: Task,
  history: readonly Attempt[],
  options: TurnOptions,
  prompt: { afresh?: boolean } = {},
): Promise<{ messages: ChatMessage[]; draft: Draft }> {
  const messages = coderMessages(task, history, prompt);
  const reply = await model.chat(chatRequest(messages, options));
  return { messages, draft: extractCode(reply, task.language) };
}
