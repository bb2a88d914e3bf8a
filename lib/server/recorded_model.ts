/**
 * The model factory's own running server serves at a URL, read from its state file. A run pointed at
 * that URL (`--no-server`, `--base-url`) sends it as the model: a server's model list may not name it
 * (mlx_lm.server lists its Hugging Face cache first, and nothing at all without one).
 *
 * @module
 */

import { recordedServer, type ServerQueryOptions } from "./server_status.ts";

/** Whether two base URLs reach the same server: same port, same host or both loopback. */
export function sameServer(a: string, b: string): boolean {
  let x: URL, y: URL;
  try {
    x = new URL(a);
    y = new URL(b);
  } catch {
    return false;
  }
  const loopback = (host: string) => ["127.0.0.1", "localhost", "[::1]", "0.0.0.0"].includes(host);
  const sameHost = x.hostname === y.hostname || (loopback(x.hostname) && loopback(y.hostname));
  return sameHost && x.port === y.port && x.pathname.replace(/\/+$/, "") === y.pathname.replace(/\/+$/, "");
}

/** The model of factory's live server at `baseUrl`, or undefined when factory runs none there. */
export async function recordedModel(
  baseUrl: string,
  options: Omit<ServerQueryOptions, "port" | "now"> = {},
): Promise<string | undefined> {
  let port: number;
  try {
    const url = new URL(baseUrl);
    port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  } catch {
    return undefined;
  }
  const found = await recordedServer({ ...options, port });
  if (found.kind !== "found" || !sameServer(found.state.baseUrl, baseUrl)) return undefined;
  return found.state.model;
}
