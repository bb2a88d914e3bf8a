/**
 * A small line diff of expected against actual text, for a failed output check: the changed lines with
 * a little context, long unchanged stretches folded. Pure.
 *
 * @module
 */

/** One line of a diff: kept in both, only expected, only actual, a fold of unchanged lines, or the rest cut. */
export type DiffLine =
  | { kind: "same"; text: string }
  | { kind: "expected"; text: string }
  | { kind: "actual"; text: string }
  | { kind: "folded"; count: number }
  | { kind: "more"; count: number };

/** Options of {@linkcode lineDiff}. */
export interface LineDiffOptions {
  /** Unchanged lines kept around each change. @default {2} */
  context?: number;
  /** Diff lines shown at most; the rest becomes one fold. @default {24} */
  maxLines?: number;
}

/** Above this many lines on a side, the diff compares only the lines that differ in place. */
const MAX_LCS_LINES = 2000;

/** The diff of `expected` against `actual`, line by line (longest common subsequence). */
export function lineDiff(expected: string, actual: string, options: LineDiffOptions = {}): DiffLine[] {
  const a = expected.split("\n");
  const b = actual.split("\n");
  const full = a.length > MAX_LCS_LINES || b.length > MAX_LCS_LINES ? inPlace(a, b) : lcsDiff(a, b);
  return limit(fold(full, options.context ?? 2), options.maxLines ?? 24);
}

function lcsDiff(a: string[], b: string[]): DiffLine[] {
  // lengths[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i][j] = a[i] === b[j]
        ? lengths[i + 1][j + 1] + 1
        : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ kind: "same", text: a[i] });
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lengths[i][j + 1] >= lengths[i + 1][j])) {
      out.push({ kind: "actual", text: b[j++] });
    } else {
      out.push({ kind: "expected", text: a[i++] });
    }
  }
  return reorder(out);
}

/** Within each run of changes, the expected lines first, then the actual ones. */
function reorder(lines: DiffLine[]): DiffLine[] {
  const out: DiffLine[] = [];
  let run: DiffLine[] = [];
  const flush = () => {
    out.push(...run.filter((l) => l.kind === "expected"), ...run.filter((l) => l.kind === "actual"));
    run = [];
  };
  for (const line of lines) {
    if (line.kind === "same") {
      flush();
      out.push(line);
    } else run.push(line);
  }
  flush();
  return out;
}

function inPlace(a: string[], b: string[]): DiffLine[] {
  const out: DiffLine[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) out.push({ kind: "same", text: a[i] });
    else {
      if (i < a.length) out.push({ kind: "expected", text: a[i] });
      if (i < b.length) out.push({ kind: "actual", text: b[i] });
    }
  }
  return reorder(out);
}

/** Unchanged lines further than `context` from any change become folds. */
function fold(lines: DiffLine[], context: number): DiffLine[] {
  const near = lines.map(() => false);
  lines.forEach((line, i) => {
    if (line.kind === "same") return;
    for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) near[k] = true;
  });
  const out: DiffLine[] = [];
  lines.forEach((line, i) => {
    if (near[i]) return void out.push(line);
    const last = out.at(-1);
    if (last?.kind === "folded") last.count++;
    else out.push({ kind: "folded", count: 1 });
  });
  return out;
}

function limit(lines: DiffLine[], maxLines: number): DiffLine[] {
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines - 1);
  const rest = lines.slice(maxLines - 1).reduce((n, l) => n + (l.kind === "folded" ? l.count : 1), 0);
  return [...kept, { kind: "more", count: rest }];
}
