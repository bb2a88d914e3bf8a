/**
 * The openai engine: any OpenAI-compatible URL, with no lifecycle of ours. Private to lib/server.
 *
 * @module
 */

import { ConfigError, ServerError } from "../errors.ts";
import { endpointFromBaseUrl, openai } from "./engines/openai.ts";
import type { LifecycleDeps, ServerSpec } from "./lifecycle.ts";
import { waitForReady } from "./readiness.ts";
import { borrowedHandle, type ServerHandle } from "./server_handle.ts";

/** The openai engine: no process, only checks that the URL answers and serves the model. */
export async function connectOpenAI(spec: ServerSpec, ctx: LifecycleDeps): Promise<ServerHandle> {
  if (!spec.baseUrl) throw new ConfigError("Cannot use the openai engine: no base URL is configured");
  const endpoint = endpointFromBaseUrl(spec.baseUrl);
  const probe = (signal?: AbortSignal) => openai.probe(endpoint, { fetch: ctx.fetch, signal });
  const first = await probe(ctx.signal);
  if (first.kind === "down") {
    throw new ServerError(`Cannot reach the model server at ${endpoint.api}: ${first.detail}`);
  }
  if (first.kind === "loading") {
    const outcome = await waitForReady({ probe, timeoutMs: ctx.readyTimeoutMs, signal: ctx.signal });
    if (outcome.kind !== "ready") {
      throw new ServerError(`Cannot use the model server at ${endpoint.api}: it did not become ready`);
    }
  }
  const identity = await openai.identify(endpoint, ctx);
  const model = spec.model ?? identity?.model;
  if (!model) throw new ServerError(`Cannot use the model server at ${endpoint.api}: it lists no models`);
  const listed = identity?.models ?? [];
  if (spec.model && listed.length > 0 && !listed.includes(spec.model)) {
    throw new ServerError(
      `Cannot use model ${spec.model} at ${endpoint.api}: the server lists ${listed.join(", ")}`,
    );
  }
  return borrowedHandle({ engine: openai, endpoint, model, fetch: ctx.fetch });
}
