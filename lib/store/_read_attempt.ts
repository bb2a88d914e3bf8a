/**
 * Reads one attempt back from `attempt-N/`: its `result.json`, the program as kept in its script, the
 * replies and outputs from their files, and the replies' token counts and times from the transcript.
 * Nothing is derived again from the reply text: what the loop decided is what was written.
 *
 * @module
 */
import { join } from "node:path";
import type { Attempt, Draft, ExecResult, Language, ModelReply, Persona, RunEvent } from "../types.ts";
import { ConfigError } from "../errors.ts";
import { ATTEMPT_FILES, attemptDirName, AttemptRecord, pathInRun, scriptName } from "./run_schema.ts";
import { readJson, readText } from "./_read_files.ts";

/** What reading an attempt needs from the run. */
export interface AttemptSource {
  /** The run directory. */
  runDir: string;
  /** The task's language (names the script). */
  language: Language;
  /** The transcript's events (empty when there is none). */
  events: readonly RunEvent[];
  /** Where to say what could not be read back. */
  notes: string[];
}

/** Reads attempt `n`. Throws ConfigError when its `result.json` is missing or does not fit the format. */
export async function readAttempt(n: number, source: AttemptSource): Promise<Attempt> {
  const { runDir, events, notes } = source;
  const dir = join(runDir, attemptDirName(n));
  const name = `${attemptDirName(n)}/${ATTEMPT_FILES.result}`;
  const parsed = AttemptRecord.safeParse(await readJson(runDir, name));
  if (!parsed.success) {
    throw new ConfigError(`Cannot load run ${runDir}: ${name}: ${parsed.error.issues[0].message}`);
  }
  const record = parsed.data;
  const coderText = await readText(join(dir, ATTEMPT_FILES.coderReply)) ?? "";
  const { finishReason, usage, ms } = record.draft;
  const coderReply = replyOf(events, n, "coder") ?? { text: coderText, finishReason, usage, ms };
  const sheriffText = await readText(join(dir, ATTEMPT_FILES.sheriffReply)) ?? "";
  const logged = replyOf(events, n, "sheriff");
  if (record.sheriff.kind !== "skipped" && !logged) {
    notes.push(`attempt ${n}: the Sheriff's token counts and time are not in the transcript`);
  }
  const sheriff = record.sheriff.kind === "skipped"
    ? record.sheriff
    : { ...record.sheriff, reply: { ...(logged ?? missingReply()), text: sheriffText } };
  return {
    number: record.number,
    draft: await draftOf(record, coderReply, dir, source),
    exec: await execOf(record.exec, dir),
    checks: record.checks,
    sheriff,
    verdict: record.verdict,
    signature: record.signature,
    workDir: record.workDir && pathInRun(runDir, record.workDir),
    ms: record.ms,
  };
}

/** The draft as the loop saw it: the kept script, else the transcript's `coder_done`, else no code. */
async function draftOf(
  record: AttemptRecord,
  reply: ModelReply,
  dir: string,
  { language, events, notes }: AttemptSource,
): Promise<Draft> {
  const n = record.number;
  const logged = events.findLast((e) => e.kind === "coder_done" && e.attempt === n);
  const loggedDraft = logged?.kind === "coder_done" ? logged.draft : undefined;
  switch (record.draft.kind) {
    case "code": {
      const code = await readText(join(dir, scriptName(language))) ??
        (loggedDraft?.kind === "code" ? loggedDraft.code : undefined);
      if (code !== undefined) return { kind: "code", code, reply };
      notes.push(`attempt ${n}: the program is neither in ${scriptName(language)} nor in the transcript`);
      return { kind: "no_code", reply };
    }
    case "truncated": {
      const partial = record.draft.partial ??
        (loggedDraft?.kind === "truncated" ? loggedDraft.partial : undefined);
      if (partial === undefined) notes.push(`attempt ${n}: the cut-off program was not kept`);
      return { kind: "truncated", partial: partial ?? "", reply };
    }
    case "no_code":
      return { kind: "no_code", reply };
  }
}

async function execOf(exec: AttemptRecord["exec"], dir: string): Promise<ExecResult | undefined> {
  if (!exec || exec.kind === "refused") return exec;
  const stdout = { ...exec.stdout, text: await readText(join(dir, ATTEMPT_FILES.stdout)) ?? "" };
  const stderr = { ...exec.stderr, text: await readText(join(dir, ATTEMPT_FILES.stderr)) ?? "" };
  return { ...exec, stdout, stderr };
}

/** A reply whose counts are unknown: zero tokens marked estimated, no time. */
function missingReply(): ModelReply {
  const usage = { promptTokens: 0, completionTokens: 0, cachedTokens: 0, estimated: true };
  return { text: "", finishReason: "other", usage, ms: 0 };
}

/** The reply of attempt `n`'s model call by `persona`, from the transcript. */
function replyOf(events: readonly RunEvent[], n: number, persona: Persona): ModelReply | undefined {
  const call = events.findLast((e) => e.kind === "model_call" && e.attempt === n && e.persona === persona);
  return call?.kind === "model_call" ? call.reply : undefined;
}
