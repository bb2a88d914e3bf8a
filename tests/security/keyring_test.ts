/**
 * Class 3 of issue 11: the kernel keyring. When factory is started from a login session, its session
 * keyring holds the user's keys; a sandboxed program must neither read them nor leave keys behind in it.
 *
 * The login session is made here by a Python launcher that joins a fresh session keyring, adds a secret
 * key, runs `_keyring_probe.ts` (the real `execute()` on the hostile program) inside that session, and
 * then looks for what the program planted.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

/** Python's view of the keyring syscalls, shared by the launcher and the hostile program. */
const KEYCTL = `import ctypes, platform
_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long
ADD_KEY, KEYCTL = {"x86_64": (248, 250), "aarch64": (217, 219)}[platform.machine()]
SESSION = ctypes.c_long(-3)
def keyctl(*args): return _libc.syscall(KEYCTL, *args)
def add_key(desc, payload, ring=SESSION):
    return _libc.syscall(ADD_KEY, b"user", desc, payload, len(payload), ring)
def read_key(desc):
    serial = keyctl(10, SESSION, b"user", desc, 0)  # KEYCTL_SEARCH
    if serial < 0: return None
    buf = ctypes.create_string_buffer(512)
    n = keyctl(11, ctypes.c_long(serial), buf, 512)  # KEYCTL_READ
    return buf.raw[:n].decode() if n >= 0 else None
`;

const SECRET = `factory-keyring-secret-${crypto.randomUUID()}`;

/** The hostile program: reads the session keyring's secret key and plants one of its own. */
const HOSTILE = `${KEYCTL}
import os
print("SESSION", keyctl(0, SESSION, 0), "ERRNO", ctypes.get_errno())
print("SECRET", read_key(b"factory-secret"))
print("PLANTED", add_key(b"factory-planted", b"from the sandbox"), "ERRNO", ctypes.get_errno())
try: print("PROC_KEYS", open("/proc/keys").read().count("factory-secret"))
except OSError as e: print("PROC_KEYS denied", type(e).__name__)
`;

/** The launcher: a fresh session keyring with the secret, the probe in it, then what was planted. */
const LAUNCHER = `${KEYCTL}
import json, subprocess, sys
assert keyctl(1, None) > 0, "cannot join a session keyring"  # KEYCTL_JOIN_SESSION_KEYRING
assert add_key(b"factory-secret", ${JSON.stringify(SECRET)}.encode()) > 0
probe = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"probe": probe.stdout, "stderr": probe.stderr[-2000:], "planted": read_key(b"factory-planted")}))
`;

Deno.test("execute() keeps a program away from the session keyring it was started in", async () => {
  const probe = fileURLToPath(new URL("./_keyring_probe.ts", import.meta.url));
  const out = await new Deno.Command("python3", {
    args: ["-c", LAUNCHER, Deno.execPath(), "run", "-A", probe, HOSTILE],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  const report = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    probe: string;
    stderr: string;
    planted: string | null;
  };
  const result = JSON.parse(report.probe);
  assert.equal(result.kind, "exited", report.stderr);
  const stdout: string = result.stdout.text;
  assert.ok(!stdout.includes(SECRET), `the program read the secret key:\n${stdout}`);
  assert.match(stdout, /^SECRET None$/m);
  assert.equal(report.planted, null, "the key the program added is in our session keyring");
  assert.doesNotMatch(stdout, /^PROC_KEYS [1-9]/m, "the program listed our keys in /proc/keys");
});
