/**
 * The prompts each turn of a run was given, collected from its `model_call` events (live, or read back
 * from `transcript.jsonl`), so a rendered turn can show what the model saw. Pure.
 *
 * @module
 */
import type { ChatMessage, RunEvent, RunResult } from "../types.ts";

/** The messages sent in one attempt's Coder and Sheriff turns. */
export interface TurnPrompts {
  /** The Coder's messages. */
  coder?: ChatMessage[];
  /** The Sheriff's messages. */
  sheriff?: ChatMessage[];
}

/** Prompts by attempt number. */
export type PromptBook = Readonly<Record<number, TurnPrompts>>;

/** Adds one event's prompt to `book` (a `model_call`; other events are ignored). Returns the book. */
export function addPrompt(book: Record<number, TurnPrompts>, event: RunEvent): Record<number, TurnPrompts> {
  if (event.kind !== "model_call") return book;
  const turn = book[event.attempt] ??= {};
  turn[event.persona] = event.messages;
  return book;
}

/** The prompt book of a run's events. */
export function promptsFromEvents(events: Iterable<RunEvent>): PromptBook {
  const book: Record<number, TurnPrompts> = {};
  for (const event of events) addPrompt(book, event);
  return book;
}

const remembered = new WeakMap<RunResult, PromptBook>();

/** Remembers the prompts of a result (the notebook sink does, so `viewRun(result)` can show them). */
export function rememberPrompts(result: RunResult, book: PromptBook): void {
  remembered.set(result, book);
}

/** The prompts remembered for a result; empty when none were. */
export function rememberedPrompts(result: RunResult): PromptBook {
  return remembered.get(result) ?? {};
}
