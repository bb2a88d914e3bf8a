import assert from "node:assert/strict";
import type { CommandResult, RunCommand } from "../../lib/host/command.ts";
import { doctor, type DoctorReport } from "../../lib/server/doctor.ts";
import { formatDoctor } from "../../lib/server/format_doctor.ts";
import { tempDir } from "../_helpers.ts";

/** A machine described by what is on PATH and which python modules import. */
function machine(onPath: string[], modules: string[]) {
  const which = (program: string) =>
    Promise.resolve(onPath.includes(program) ? `/usr/bin/${program}` : undefined);
  const run: RunCommand = (command, args) => {
    const ok = (stdout: string): CommandResult => ({ kind: "exited", code: 0, stdout, stderr: "" });
    if (command === "python3" && args[0] === "--version") return Promise.resolve(ok("Python 3.11.7\n"));
    if (command.endsWith("python3") && args[0] === "-c") {
      const module = /find_spec\('([\w.]+)'\)/.exec(args[1])?.[1] ?? args[1].replace("import ", "");
      return Promise.resolve(
        modules.includes(module) ? ok("") : { kind: "exited", code: 1, stdout: "", stderr: "" },
      );
    }
    if (command.endsWith("ollama")) return Promise.resolve(ok("ollama version is 0.12.0\n"));
    return Promise.resolve({ kind: "not_found", command });
  };
  return { which, run };
}

/** A Linux x86_64 or macOS aarch64 box with factory's cache in `root`, as {@linkcode machine} describes it. */
function box(root: string, os: "linux" | "darwin", onPath: string[] = [], modules: string[] = []) {
  return { root, os, arch: os === "linux" ? "x86_64" : "aarch64", ...machine(onPath, modules) };
}

function item(report: DoctorReport, name: string) {
  const found = report.items.find((i) => i.name === name);
  assert.ok(found, `no item ${name}`);
  return found;
}

Deno.test("doctor() on a bare Linux box names every missing piece with its fix", async () => {
  await using dir = await tempDir();
  const report = await doctor({ ...box(dir.path, "linux"), denoVersion: "2.9.6" });
  assert.equal(report.autoEngine, "llama.cpp");
  const llama = item(report, "llama-server");
  assert.equal(llama.required, true);
  assert.match(llama.presence.kind === "missing" ? llama.presence.fix : "", /^factory engine install/);
  assert.deepEqual(item(report, "cmake").presence, {
    kind: "missing",
    detail: "not on PATH",
    fix: "sudo apt-get install cmake",
  });
  assert.deepEqual(item(report, "mlx_lm"), {
    name: "mlx_lm",
    purpose: "the mlx engine (CPU only here)",
    required: false,
    presence: {
      kind: "missing",
      detail:
        "no python3 with mlx_lm on PATH and none installed yet; installing makes a virtual environment " +
        "with pinned mlx, about 30 s",
      fix: "factory engine install --engine mlx",
    },
  });
  assert.match(JSON.stringify(item(report, "tiny MLX model").presence), /tools\/provision.ts/);
  assert.match(JSON.stringify(item(report, "ollama").presence), /ollama.com\/install.sh/);
  assert.deepEqual(item(report, "bwrap").presence, {
    kind: "missing",
    detail: "not on PATH",
    fix: "sudo apt-get install bubblewrap",
  });
  assert.match(JSON.stringify(item(report, "numpy").presence), /python3 -m pip install numpy/);
  assert.match(JSON.stringify(item(report, "tiny model").presence), /tools\/provision.ts/);
  assert.deepEqual(item(report, "deno").presence, { kind: "found", detail: "2.9.6" });
  assert.deepEqual(report.speculative, { choice: "auto", kind: "mode", mode: "ngram" });
  const draft = item(report, "draft model");
  assert.equal(draft.required, false, "only speculative: draft needs the draft model");
  assert.match(
    draft.presence.kind === "missing" ? draft.presence.fix : "",
    /model fetch qwen2.5-coder-0.5b-instruct-q4_k_m$/,
  );
});

Deno.test("doctor() on Apple Silicon with mlx_lm picks mlx and suggests brew", async () => {
  await using dir = await tempDir();
  const onPath = ["llama-server", "git", "ollama", "sandbox-exec", "python3"];
  const report = await doctor(box(dir.path, "darwin", onPath, ["mlx_lm", "numpy"]));
  assert.equal(report.autoEngine, "mlx");
  assert.deepEqual(
    report.speculative,
    { choice: "auto", kind: "mode", mode: "off" },
    "mlx: nothing to drive",
  );
  assert.equal(item(report, "mlx_lm").required, true);
  assert.deepEqual(item(report, "mlx_lm").presence, { kind: "found", detail: "/usr/bin/python3 (path)" });
  assert.equal(item(report, "llama-server").required, false);
  assert.match(JSON.stringify(item(report, "llama-server").presence), /\/usr\/bin\/llama-server \(path/);
  assert.deepEqual(item(report, "cmake").presence, {
    kind: "missing",
    detail: "not on PATH",
    fix: "brew install cmake",
  });
  assert.deepEqual(item(report, "c++ compiler").presence, {
    kind: "missing",
    detail: "not on PATH",
    fix: "xcode-select --install",
  });
  assert.deepEqual(item(report, "ollama").presence, {
    kind: "found",
    detail: "/usr/bin/ollama (ollama version is 0.12.0)",
  });
  assert.deepEqual(item(report, "sandbox-exec").presence, {
    kind: "found",
    detail: "/usr/bin/sandbox-exec",
  });
});

Deno.test("formatDoctor() lists items, then fixes, then the verdict", () => {
  const report: DoctorReport = {
    os: "linux",
    arch: "x86_64",
    autoEngine: "llama.cpp",
    uses: { kind: "engine", engine: "llama.cpp" },
    speculative: { choice: "auto", kind: "mode", mode: "ngram" },
    items: [
      {
        name: "llama-server",
        purpose: "the llama.cpp engine",
        required: true,
        presence: { kind: "missing", detail: "not built yet", fix: "factory engine install" },
      },
      { name: "deno", purpose: "runs factory", required: true, presence: { kind: "found", detail: "2.9.6" } },
      {
        name: "mlx_lm",
        purpose: "the mlx engine",
        required: false,
        presence: { kind: "not_applicable", reason: "needs macOS" },
      },
    ],
  };
  assert.deepEqual(formatDoctor(report), [
    "factory doctor: linux x86_64, engine auto = llama.cpp; runs use engine llama.cpp, speculative auto = ngram",
    "  missing  llama-server  not built yet (for the llama.cpp engine)",
    "  ok       deno          2.9.6",
    "  n/a      mlx_lm        needs macOS",
    "",
    "To fix:",
    "  factory engine install   # llama-server: the llama.cpp engine",
    "",
    "Missing: llama-server",
  ]);
  const fine = { ...report, items: report.items.slice(1) };
  assert.deepEqual(formatDoctor(fine).at(-1), "Ready to run models.");
  assert.ok(!formatDoctor(fine).includes("To fix:"));
});

Deno.test("doctor() reports what server.speculative means here, and when draft needs the draft model", async (t) => {
  await using dir = await tempDir();
  const linux = box(dir.path, "linux");
  await t.step("draft: the draft model becomes required", async () => {
    const report = await doctor({ ...linux, server: { speculative: "draft" } });
    assert.deepEqual(report.speculative, { choice: "draft", kind: "mode", mode: "draft" });
    assert.equal(item(report, "draft model").required, true);
    assert.match(formatDoctor(report).at(-1) ?? "", /^Missing: .*draft model/);
  });
  await t.step("ngram on ollama: the problem is named, not thrown", async () => {
    const report = await doctor({ ...linux, server: { engine: "ollama", speculative: "ngram" } });
    assert.equal(report.speculative.kind, "invalid");
    assert.match(
      formatDoctor(report)[0],
      /speculative: server.speculative: ngram needs the llama.cpp engine, not ollama/,
    );
  });
});

Deno.test("formatDoctor() prints each fix once, naming every item it fixes, with one comment", () => {
  const missing = (name: string, fix: string) => ({
    name,
    purpose: `for ${name}`,
    required: false,
    presence: { kind: "missing" as const, detail: "not on PATH", fix },
  });
  const report: DoctorReport = {
    os: "linux",
    arch: "x86_64",
    autoEngine: "llama.cpp",
    uses: { kind: "engine", engine: "llama.cpp" },
    speculative: { choice: "auto", kind: "mode", mode: "ngram" },
    items: [
      missing("cmake", "sudo apt-get install cmake git"),
      missing("git", "sudo apt-get install cmake git"),
    ],
  };
  const fixes = formatDoctor(report).filter((line) => line.includes("apt-get"));
  assert.deepEqual(fixes, ["  sudo apt-get install cmake git   # cmake: for cmake; git: for git"]);
});

Deno.test("doctor() reports the offline coder model", async (t) => {
  await using dir = await tempDir();
  const base = box(dir.path, "linux", ["llama-server"]);
  await t.step("fetched and verified", async () => {
    const path = `${dir.path}/models/coder.gguf`;
    const report = await doctor({ ...base, cachedModel: () => Promise.resolve({ path }) });
    assert.deepEqual(item(report, "coder model").presence, {
      kind: "found",
      detail: `${path} (fetched and verified)`,
    });
  });
  await t.step("not fetched: how to fetch it, in the form factory was started with", async () => {
    const report = await doctor({ ...base, command: "deno run -A cli.ts" });
    const model = item(report, "coder model");
    assert.equal(model.required, true, "llama.cpp serves it when no model is configured");
    assert.equal(model.presence.kind === "missing" && model.presence.fix, "deno run -A cli.ts model fetch");
    assert.match(formatDoctor(report).join("\n"), /Missing: coder model/);
  });
  await t.step("not needed when a model is configured", async () => {
    const report = await doctor({ ...base, server: { model: "/models/mine.gguf" } });
    assert.equal(item(report, "coder model").required, false);
  });
});

Deno.test("doctor() with a base URL checks that server and needs no llama-server", async (t) => {
  await using dir = await tempDir();
  const base = box(dir.path, "linux");
  const baseUrl = "http://models.example:8000/v1";
  await t.step("the server answers: ready although llama-server and the model are missing", async () => {
    const fetch = (url: string | URL | Request) =>
      Promise.resolve(
        new Response(String(url) === `${baseUrl}/models` ? '{"data":[]}' : "", { status: 200 }),
      );
    const report = await doctor({ ...base, server: { baseUrl }, fetch: fetch as typeof globalThis.fetch });
    assert.deepEqual(report.uses, { kind: "server", baseUrl });
    assert.equal(item(report, "model server").presence.kind, "found");
    assert.equal(item(report, "llama-server").presence.kind, "missing");
    assert.equal(item(report, "llama-server").required, false);
    assert.equal(item(report, "coder model").required, false);
    const lines = formatDoctor(report);
    assert.equal(lines.at(-1), "Ready to run models.");
    assert.match(lines[0], /runs use the model server at http:\/\/models\.example:8000\/v1/);
  });
  await t.step("the server does not answer: that is what is missing", async () => {
    const fetch = () => Promise.reject(new TypeError("connection refused"));
    const report = await doctor({ ...base, server: { baseUrl }, fetch: fetch as typeof globalThis.fetch });
    assert.equal(item(report, "model server").presence.kind, "missing");
    assert.equal(formatDoctor(report).at(-1), "Missing: model server");
  });
});
