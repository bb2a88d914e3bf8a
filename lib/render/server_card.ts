/**
 * A small card about a running model server, for a notebook: engine, model file name (never its full
 * path), address, and whether it was started here or reused. Every text is escaped. Pure.
 *
 * @module
 */
import { bundleOf, type MimeBundle } from "./bundles.ts";
import { badge, frame, markup } from "./html.ts";
import { escapeMarkdown } from "./markdown.ts";

/** What the card shows about a server. */
export interface ServerFacts {
  /** The engine serving (`llama.cpp`, `ollama`, ...). */
  engine: string;
  /** The model: a path (only its file name is shown) or a name. */
  model: string;
  /** The OpenAI-compatible base URL. */
  baseUrl: string;
  /** True when this notebook started it (and will stop it). */
  startedByUs: boolean;
  /** The server's process id, when known. */
  pid?: number;
  /** The speculative decoding in effect, in words (`ngram (ngram-mod, …)`), when known. */
  speculative?: string;
}

/** A card about a running server. */
export function serverBundle(server: ServerFacts): MimeBundle {
  const how = server.startedByUs ? "started by this notebook" : "reused (left running)";
  const name = server.model.split("/").at(-1) ?? server.model;
  const pid = server.pid ? ` · pid ${server.pid}` : "";
  const speculative = server.speculative ? ` · speculative ${server.speculative}` : "";
  const body = markup`<div class="fx-card"><div class="fx-row"><strong>model server</strong>${
    badge("ready", "pass")
  }<span>${server.engine} · <code>${name}</code></span></div><div class="fx-muted">${server.baseUrl} · ${how}${pid}${speculative}</div></div>`;
  const plain = `model server ready: ${server.engine} · ${name} · ${server.baseUrl} · ${how}${speculative}`;
  return bundleOf(frame(body), `**model server** ready: ${escapeMarkdown(plain)}`, plain);
}
