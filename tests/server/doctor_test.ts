import assert from "node:assert/strict";
import type { CommandResult, RunCommand } from "../../lib/host/command.ts";
import { doctor, type DoctorReport } from "../../lib/server/doctor.ts";
import { formatDoctor } from "../../lib/server/format_doctor.ts";

/** A machine described by what is on PATH and which python modules import. */
function machine(onPath: string[], modules: string[]) {
  const which = (program: string) =>
    Promise.resolve(onPath.includes(program) ? `/usr/bin/${program}` : undefined);
  const run: RunCommand = (command, args) => {
    const ok = (stdout: string): CommandResult => ({ kind: "exited", code: 0, stdout, stderr: "" });
    if (command === "python3" && args[0] === "--version") return Promise.resolve(ok("Python 3.11.7\n"));
    if (command === "python3" && args[0] === "-c") {
      const module = args[1].replace("import ", "");
      return Promise.resolve(
        modules.includes(module) ? ok("") : { kind: "exited", code: 1, stdout: "", stderr: "" },
      );
    }
    if (command.endsWith("ollama")) return Promise.resolve(ok("ollama version is 0.12.0\n"));
    return Promise.resolve({ kind: "not_found", command });
  };
  return { which, run };
}

function item(report: DoctorReport, name: string) {
  const found = report.items.find((i) => i.name === name);
  assert.ok(found, `no item ${name}`);
  return found;
}

Deno.test("doctor() on a bare Linux box names every missing piece with its fix", async () => {
  const root = await Deno.makeTempDir();
  try {
    const report = await doctor({
      root,
      os: "linux",
      arch: "x86_64",
      denoVersion: "2.9.6",
      ...machine([], []),
    });
    assert.equal(report.autoEngine, "llama.cpp");
    const llama = item(report, "llama-server");
    assert.equal(llama.required, true);
    assert.match(llama.presence.kind === "missing" ? llama.presence.fix : "", /^factory engine install/);
    assert.deepEqual(item(report, "cmake").presence, {
      kind: "missing",
      detail: "not on PATH",
      fix: "sudo apt-get install cmake",
    });
    assert.equal(item(report, "mlx_lm").presence.kind, "not_applicable");
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
      /^deno run -A cli.ts model fetch qwen2.5-coder-0.5b-instruct-q4_k_m/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("doctor() on Apple Silicon with mlx_lm picks mlx and suggests brew", async () => {
  const root = await Deno.makeTempDir();
  try {
    const report = await doctor({
      root,
      os: "darwin",
      arch: "aarch64",
      ...machine(["llama-server", "git", "ollama", "sandbox-exec"], ["mlx_lm", "numpy"]),
    });
    assert.equal(report.autoEngine, "mlx");
    assert.deepEqual(
      report.speculative,
      { choice: "auto", kind: "mode", mode: "off" },
      "mlx: nothing to drive",
    );
    assert.deepEqual(item(report, "mlx_lm").presence, { kind: "found", detail: "python3 imports mlx_lm" });
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
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("formatDoctor() lists items, then fixes, then the verdict", () => {
  const report: DoctorReport = {
    os: "linux",
    arch: "x86_64",
    autoEngine: "llama.cpp",
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
    "factory doctor: linux x86_64, engine auto = llama.cpp, speculative auto = ngram",
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
  const root = await Deno.makeTempDir();
  try {
    const linux = { root, os: "linux", arch: "x86_64", ...machine([], []) };
    await t.step("draft: the draft model becomes required", async () => {
      const report = await doctor({ ...linux, speculative: "draft" });
      assert.deepEqual(report.speculative, { choice: "draft", kind: "mode", mode: "draft" });
      assert.equal(item(report, "draft model").required, true);
      assert.match(formatDoctor(report).at(-1) ?? "", /^Missing: .*draft model/);
    });
    await t.step("ngram on mlx: the problem is named, not thrown", async () => {
      const mac = { root, os: "darwin", arch: "aarch64", ...machine([], ["mlx_lm"]) };
      const report = await doctor({ ...mac, speculative: "ngram" });
      assert.equal(report.speculative.kind, "invalid");
      assert.match(
        formatDoctor(report)[0],
        /speculative: server.speculative: ngram needs the llama.cpp engine, not mlx/,
      );
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
