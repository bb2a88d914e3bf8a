import assert from "node:assert/strict";
import {
  bwrapArgs,
  type BwrapSpec,
  FSTAB_INSIDE,
  isWithin,
  procFstab,
  systemLayout,
} from "../../lib/sandbox/bwrap.ts";

const WORK = "/tmp/factory-x/attempt-1/work";

const LAYOUT = {
  dirs: ["/usr"],
  links: [["/bin", "usr/bin"], ["/lib", "usr/lib"]] as [string, string][],
  etc: ["/etc/ld.so.cache", "/etc/ssl"],
};

function spec(overrides: Partial<BwrapSpec> = {}): BwrapSpec {
  return {
    workDir: "/tmp/factory-x/attempt-1/work",
    readOnly: [
      "/root/.pyenv/versions/3.11.7",
      "/root/.pyenv/versions/3.11.7/bin/python3.11",
      "/usr/bin/python3",
    ],
    layout: LAYOUT,
    env: { PATH: "/usr/bin", HOME: "/tmp/factory-x/attempt-1/work" },
    user: {
      kind: "switch",
      uid: 2100000001,
      gid: 2100000001,
      setpriv: "/usr/bin/setpriv",
      mount: "/usr/bin/mount",
    },
    tmpBytes: 64 * 1024 * 1024,
    shell: "/bin/sh",
    command: ["/usr/bin/prlimit", "--cpu=10:11", "--", "python3", "main.py"],
    ...overrides,
  };
}

/** The index of the first `flag value...` sequence in `args`. */
function at(args: string[], ...sequence: string[]): number {
  return args.findIndex((_, i) => sequence.every((s, k) => args[i + k] === s));
}

Deno.test("bwrapArgs() isolates a run as root with a fresh uid", async (t) => {
  const args = bwrapArgs(spec());
  await t.step("no network, ipc or uts of ours, dying with us, in a new session, with only our env", () => {
    for (
      const flag of ["--unshare-net", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--new-session"]
    ) {
      assert.ok(args.includes(flag), flag);
    }
    assert.ok(!args.includes("--unshare-user") && !args.includes("--unshare-pid"), "a uid instead");
    assert.ok(at(args, "--clearenv") < at(args, "--setenv", "PATH", "/usr/bin"));
    assert.ok(at(args, "--setenv", "HOME", "/tmp/factory-x/attempt-1/work") > 0);
  });
  await t.step("system dirs read-only, /etc only as listed, no /home", () => {
    assert.ok(at(args, "--ro-bind", "/usr", "/usr") >= 0);
    assert.ok(at(args, "--symlink", "usr/bin", "/bin") >= 0);
    assert.ok(at(args, "--ro-bind", "/etc/ssl", "/etc/ssl") > at(args, "--perms", "0755", "--dir", "/etc"));
    assert.ok(!args.some((a) => a === "/etc" && args[args.indexOf(a) - 1] === "--ro-bind"));
    assert.ok(!args.includes("/home"));
  });
  await t.step("a private /tmp and /dev/shm of bounded size, before the binds under /tmp", () => {
    const tmp = at(args, "--perms", "1777", "--size", String(64 * 1024 * 1024), "--tmpfs", "/tmp");
    assert.ok(tmp > 0);
    assert.ok(at(args, "--size", String(16 * 1024 * 1024), "--tmpfs", "/dev/shm") > 0);
    assert.ok(at(args, "--bind", WORK, WORK) > tmp, "the work dir is bound after --tmpfs /tmp");
    assert.ok(at(args, "--perms", "0755", "--dir", "/tmp/factory-x/attempt-1") > tmp);
    assert.equal(at(args, "--dir", "/tmp"), -1, "/tmp itself is the tmpfs");
  });
  await t.step("the interpreter's prefix read-only once, at the same path, with readable parents", () => {
    const prefix = "/root/.pyenv/versions/3.11.7";
    assert.ok(at(args, "--perms", "0755", "--dir", "/root") < at(args, "--ro-bind", prefix, prefix));
    assert.equal(args.filter((a) => a.startsWith(`${prefix}/bin`)).length, 0, "inside the prefix already");
    assert.equal(at(args, "--ro-bind", "/usr/bin/python3"), -1, "inside /usr already");
  });
  await t.step("the work dir is the only read-write bind and the cwd", () => {
    assert.equal(args.filter((a) => a === "--bind").length, 1);
    assert.ok(at(args, "--chdir", WORK) > 0);
  });
  await t.step("the shell mounts a /proc that hides other users, then setpriv drops everything", () => {
    const command = args.slice(args.indexOf("--") + 1);
    assert.deepEqual(command.slice(0, 2), ["/bin/sh", "-c"]);
    assert.equal(
      command[2],
      '/usr/bin/mount -t proc -o hidepid=2,nosuid,nodev,noexec proc /proc && unset PWD && exec "$@"',
    );
    assert.deepEqual(command.slice(3, 12), [
      "sh",
      "/usr/bin/setpriv",
      "--reuid=2100000001",
      "--regid=2100000001",
      "--clear-groups",
      "--inh-caps=-all",
      "--bounding-set=-all",
      "--nnp",
      "--pdeathsig=KILL",
    ]);
    assert.deepEqual(command.slice(12), spec().command);
    assert.ok(at(args, "--cap-add", "CAP_SYS_ADMIN") > 0 && at(args, "--dir", "/proc") > 0);
  });
});

Deno.test("bwrapArgs() as root mounts /proc and hides the keyring listings with one mount -a", () => {
  const args = bwrapArgs(spec({ procFstab: "/tmp/factory-sandbox-x/proc.fstab", seccompFd: 9 }));
  assert.ok(at(args, "--ro-bind", "/tmp/factory-sandbox-x/proc.fstab", FSTAB_INSIDE) > 0);
  assert.ok(
    at(args, "--ro-bind", "/tmp/factory-sandbox-x/proc.fstab", FSTAB_INSIDE) > at(args, "--dir", "/proc"),
  );
  assert.equal(args[args.indexOf("--clearenv") + 1], "--seccomp", "right after the session options");
  assert.equal(at(args, "--seccomp", "9"), args.indexOf("--clearenv") + 1);
  const command = args.slice(args.indexOf("--") + 1);
  assert.equal(command[2], `/usr/bin/mount -a -T ${FSTAB_INSIDE} && unset PWD && exec "$@"`);
  assert.equal(
    procFstab(["/proc/keys", "/proc/key-users"]),
    "proc /proc proc hidepid=2,nosuid,nodev,noexec 0 0\n" +
      "/dev/null /proc/keys none bind 0 0\n/dev/null /proc/key-users none bind 0 0\n",
  );
});

Deno.test("bwrapArgs() isolates a run as a user with namespaces", () => {
  const args = bwrapArgs(
    spec({ user: { kind: "namespace" }, layout: { ...LAYOUT, keyFiles: ["/proc/keys"] } }),
  );
  assert.ok(at(args, "--unshare-user", "--unshare-pid") >= 0);
  assert.ok(at(args, "--proc", "/proc") > 0);
  assert.ok(at(args, "--ro-bind", "/dev/null", "/proc/keys") > at(args, "--proc", "/proc"), "keys hidden");
  assert.ok(!args.includes("--cap-add"));
  const command = args.slice(args.indexOf("--") + 1);
  assert.deepEqual(command.slice(0, 4), ["/bin/sh", "-c", 'unset PWD && exec "$@"', "sh"]);
  assert.deepEqual(command.slice(4), spec().command);
});

Deno.test("bwrapArgs() without a work dir (a probe) binds nothing read-write", () => {
  const args = bwrapArgs(spec({ workDir: undefined, readOnly: [] }));
  assert.ok(!args.includes("--bind") && !args.includes("--chdir"));
});

Deno.test("isWithin() compares whole path segments", () => {
  assert.equal(isWithin("/usr/bin", "/usr"), true);
  assert.equal(isWithin("/usr", "/usr"), true);
  assert.equal(isWithin("/usrx", "/usr"), false);
  assert.equal(isWithin("/anything", "/"), true);
});

Deno.test("systemLayout() describes this machine's root", async () => {
  const layout = await systemLayout();
  assert.ok(layout.dirs.includes("/usr"));
  for (const [path, target] of layout.links) assert.equal(await Deno.readLink(path), target);
  assert.ok(layout.etc.every((e) => e.startsWith("/etc/")));
  assert.ok(!layout.etc.includes("/etc/shadow") && !layout.etc.includes("/etc/passwd"));
});
