/**
 * The Sheriff's turn: build its prompt, ask the model, read the verdict in the reply.
 *
 * @module
 */
import type { ChatMessage, ChatModel, SheriffOpinion, Task } from "../types.ts";
import { type Review, sheriffMessages } from "./prompts.ts";
import { parseVerdict } from "./parse_verdict.ts";
import { chatRequest, type TurnOptions } from "./turn_options.ts";

/**
 * Asks the Sheriff whether the program in `review` fulfils `task`. Returns the messages sent and the
 * opinion read from the reply (`unparsable` when it breaks the format, never a PASS). A `ModelError` or
 * an "AbortError" from the model propagates.
 */
export async function sheriffTurn(
  model: ChatModel,
  task: Task,
  review: Review,
  options: TurnOptions,
): Promise<{ messages: ChatMessage[]; opinion: SheriffOpinion }> {
  const messages = sheriffMessages(task, review);
  const reply = await model.chat(chatRequest(messages, options));
  return { messages, opinion: parseVerdict(reply) };
}
