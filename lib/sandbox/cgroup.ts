/**
 * One control group per program run: which kind this machine lets factory make (cgroup v2 where it is
 * delegated, cgroup v1 `memory` + `pids` + `freezer` otherwise), found once per process.
 *
 * A group bounds the memory of the whole run (every process, memfd and page cache included) and its
 * number of tasks, and its end kills every member whatever state it is in. {@linkcode makeRunGroup} in
 * `run_group.ts` makes the groups.
 *
 * @module
 */

/** The control groups factory can make here, or why it cannot. */
export type CgroupSupport =
  /** cgroup v1: one group per run in each of the three hierarchies, under these parent dirs. */
  | { kind: "v1"; parents: { memory: string; pids: string; freezer: string }; swapAccounting: boolean }
  /** cgroup v2: one group per run under `parent`, whose subtree has `memory` and `pids` enabled. */
  | { kind: "v2"; parent: string }
  | { kind: "none"; reason: string };

/** Options of {@linkcode detectCgroups}. */
export interface CgroupDetectOptions {
  /** Where the cgroup file systems are mounted. @default {"/sys/fs/cgroup"} */
  root?: string;
  /** The text of `/proc/self/cgroup`. @default read from the system */
  selfCgroup?: string;
  /** The operating system. @default {Deno.build.os} */
  os?: string;
}

const V1_CONTROLLERS = ["memory", "pids", "freezer"] as const;

let detected: Promise<CgroupSupport> | undefined;

/**
 * Finds the control groups factory can make for a run: cgroup v2 when the unified hierarchy has `memory`
 * and `pids` for a dir we may write (ours or its parent, as delegated), else cgroup v1 with `memory`,
 * `pids` and `freezer` under our own groups. Probed by making and removing a group. The real machine's
 * answer is cached per process; injected options are not.
 */
export function detectCgroups(options?: CgroupDetectOptions): Promise<CgroupSupport> {
  if (options) return detect(options);
  detected ??= detect({});
  return detected;
}

async function detect(options: CgroupDetectOptions): Promise<CgroupSupport> {
  const { root = "/sys/fs/cgroup", os = Deno.build.os } = options;
  if (os !== "linux") return { kind: "none", reason: `no control groups on ${os}` };
  const self = options.selfCgroup ?? await Deno.readTextFile("/proc/self/cgroup").catch(() => "");
  const own = parseSelfCgroup(self);
  const v2 = await detectV2(root, own.get(""));
  if (v2.kind !== "none") return v2;
  const v1 = await detectV1(root, own);
  if (v1.kind !== "none") return v1;
  return { kind: "none", reason: `${v1.reason}; ${v2.reason}` };
}

/**
 * Each hierarchy's path of our own group, from `/proc/self/cgroup`: by controller name for v1 (every
 * controller of a line, and the line's own name), by `""` for the v2 line (`0::/path`). Pure.
 */
export function parseSelfCgroup(text: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, controllers, path] = match;
    if (controllers === "") paths.set("", path);
    for (const name of controllers.split(",")) if (name !== "") paths.set(name, path);
  }
  return paths;
}

async function detectV2(root: string, own: string | undefined): Promise<CgroupSupport> {
  const controllers = await readText(`${root}/cgroup.controllers`);
  if (controllers === undefined || own === undefined) {
    return { kind: "none", reason: "no cgroup v2 hierarchy at " + root };
  }
  if (!hasAll(controllers, ["memory", "pids"])) {
    return { kind: "none", reason: `cgroup v2 at ${root} has no memory and pids controllers` };
  }
  const ownDir = joinCgroup(root, own);
  const candidates = own === "/" ? [ownDir] : [ownDir, parentDir(ownDir, root)];
  for (const parent of candidates) {
    if (parent === undefined) continue;
    const subtree = await readText(`${parent}/cgroup.subtree_control`);
    if (subtree === undefined) continue;
    if (!hasAll(subtree, ["memory", "pids"])) {
      // Allowed only where the dir holds no process of its own (or is the root).
      await Deno.writeTextFile(`${parent}/cgroup.subtree_control`, "+memory +pids").catch(() => {});
      if (!hasAll(await readText(`${parent}/cgroup.subtree_control`) ?? "", ["memory", "pids"])) continue;
    }
    if (await probe(parent)) return { kind: "v2", parent };
  }
  return {
    kind: "none",
    reason: `cgroup v2: cannot make a group under ${ownDir} or its parent (not delegated)`,
  };
}

async function detectV1(root: string, own: Map<string, string>): Promise<CgroupSupport> {
  const parents: Record<string, string> = {};
  for (const controller of V1_CONTROLLERS) {
    const path = own.get(controller);
    const dir = path === undefined ? undefined : joinCgroup(`${root}/${controller}`, path);
    if (dir === undefined || await readText(`${dir}/cgroup.procs`) === undefined) {
      return { kind: "none", reason: `no cgroup v1 ${controller} hierarchy under ${root}` };
    }
    if (!(await probe(dir))) {
      return {
        kind: "none",
        reason: `cgroup v1: cannot make a ${controller} group under ${dir} (not root?)`,
      };
    }
    parents[controller] = dir;
  }
  const swapAccounting = await readText(`${parents.memory}/memory.memsw.limit_in_bytes`) !== undefined;
  return {
    kind: "v1",
    parents: { memory: parents.memory, pids: parents.pids, freezer: parents.freezer },
    swapAccounting,
  };
}

/** True when a group can be made (and removed again) under `parent`. */
async function probe(parent: string): Promise<boolean> {
  const dir = `${parent}/factory-probe-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await Deno.mkdir(dir);
  } catch {
    return false;
  }
  await Deno.remove(dir).catch(() => {});
  return true;
}

/** One line on the control groups, for `factory doctor` and the docs. Pure. */
export function describeCgroups(support: CgroupSupport): string {
  switch (support.kind) {
    case "v1":
      return `cgroup v1 (memory, pids, freezer${support.swapAccounting ? ", swap accounted" : ""}): ` +
        "one group per run, memory and tasks bounded, frozen and killed at its end";
    case "v2":
      return `cgroup v2 under ${support.parent}: one group per run, memory and tasks bounded, killed at its end`;
    case "none":
      return `none: ${support.reason}`;
    default: {
      const never: never = support;
      return never;
    }
  }
}

function hasAll(list: string, names: string[]): boolean {
  const present = new Set(list.trim().split(/\s+/));
  return names.every((name) => present.has(name));
}

function joinCgroup(base: string, path: string): string {
  return path === "/" || path === "" ? base : `${base}${path.startsWith("/") ? "" : "/"}${path}`;
}

function parentDir(dir: string, root: string): string | undefined {
  const cut = dir.lastIndexOf("/");
  const parent = dir.slice(0, cut);
  return parent.length >= root.length ? parent : undefined;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
}
