/**
 * Hostile programs against the network: the internet, and the model server on the host's loopback
 * (stood in for by a `Deno.serve` on 127.0.0.1 that counts what reaches it).
 */
import assert from "node:assert/strict";
import { expectKind, output, runHostile } from "./_hostile.ts";
import { requires } from "../_tier.ts";

const PYTHON_SANDBOX = requires("python3", "sandbox");

/** A loopback server standing in for the model server; it records every request it gets. */
function loopbackServer() {
  const seen: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    seen.push(new URL(req.url).pathname);
    return new Response("model server");
  });
  return { port: server.addr.port, seen, [Symbol.asyncDispose]: () => server.shutdown() };
}

Deno.test("execute() gives a program no network at all", PYTHON_SANDBOX, async (t) => {
  await using server = loopbackServer();
  const base = `http://127.0.0.1:${server.port}/v1/models`;
  await t.step("python: the internet, DNS and the model server's loopback port", async () => {
    const code = `import socket, urllib.request
def attempt(name, fn):
    try:
        fn(); print("REACHED", name)
    except Exception as e:
        print("BLOCKED", name, type(e).__name__, e)
attempt("1.1.1.1:53", lambda: socket.create_connection(("1.1.1.1", 53), timeout=3))
attempt("dns", lambda: socket.getaddrinfo("example.com", 80))
attempt("loopback", lambda: urllib.request.urlopen(${JSON.stringify(base)}, timeout=3).read())
attempt("localhost", lambda: socket.create_connection(("localhost", ${server.port}), timeout=3))
attempt("ipv6", lambda: socket.create_connection(("::1", ${server.port}), timeout=3))
print("INTERFACES", socket.if_nameindex())`;
    await using run = await runHostile("python", code);
    const result = expectKind(run.result, "exited");
    assert.equal(result.code, 0, output(result));
    assert.doesNotMatch(result.stdout.text, /^REACHED/m);
    assert.equal(result.stdout.text.match(/^BLOCKED/gm)?.length, 5);
    assert.match(result.stdout.text, /INTERFACES \[\(1, 'lo'\)\]/, "only a loopback of its own");
  });
  await t.step("typescript: fetch and a raw TCP connection", async () => {
    const code = `for (const [name, attempt] of [
  ["fetch", () => fetch(${JSON.stringify(base)})],
  ["connect", () => Deno.connect({ hostname: "127.0.0.1", port: ${server.port} })],
  ["internet", () => fetch("https://example.com/")],
] as const) {
  try { await attempt(); console.log("REACHED", name); }
  catch (e) { console.log("BLOCKED", name, (e as Error).name); }
}`;
    await using run = await runHostile("typescript", code);
    const result = expectKind(run.result, "exited");
    assert.doesNotMatch(result.stdout.text, /^REACHED/m, output(result));
    assert.equal(result.stdout.text.match(/^BLOCKED \w+ NotCapable$/gm)?.length, 3);
  });
  assert.deepEqual(server.seen, [], "the model server saw no request from a program");
});
