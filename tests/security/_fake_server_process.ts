/**
 * The fake OpenAI server as a process of its own, so a test can kill it with SIGKILL in the middle of a
 * stream. Usage: `deno run -A _fake_server_process.ts '<replies as JSON>'`; prints its base URL, then
 * serves until killed.
 */
import { fakeOpenAIServer, type FakeReply } from "../_fake_openai_server.ts";

const replies = JSON.parse(Deno.args[0] ?? "[]") as Array<string | FakeReply>;
const server = fakeOpenAIServer({ replies });
console.log(server.baseUrl);
await new Promise(() => {});
