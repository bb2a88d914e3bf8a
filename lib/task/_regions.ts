/**
 * Splits a task's text into regions: fenced code blocks, indented code blocks (four spaces or a tab
 * after a blank line, as Markdown has them) and prose. Pure.
 *
 * @module
 */

/** A run of lines of one kind. */
export interface Region {
  kind: "fenced" | "indented" | "prose";
  /** The index of the region's first line among the text's lines. */
  start: number;
  /** The lines, fences excluded. */
  lines: string[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** The regions of `lines`, in order. */
export function regionsOf(lines: readonly string[]): Region[] {
  const regions: Region[] = [];
  let prose: Region | undefined;
  const flushProse = () => {
    if (prose && prose.lines.length > 0) regions.push(prose);
    prose = undefined;
  };
  let i = 0;
  while (i < lines.length) {
    const fence = FENCE.exec(lines[i]);
    if (fence && !(fence[1][0] === "`" && fence[2].includes("`"))) {
      flushProse();
      const end = closingFence(lines, i + 1, fence[1]);
      regions.push({ kind: "fenced", start: i + 1, lines: lines.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const afterBlank = i === 0 || lines[i - 1].trim() === "";
    if (afterBlank && isIndented(lines[i])) {
      flushProse();
      const end = indentedEnd(lines, i);
      regions.push({ kind: "indented", start: i, lines: lines.slice(i, end) });
      i = end;
      continue;
    }
    prose ??= { kind: "prose", start: i, lines: [] };
    prose.lines.push(lines[i]);
    i++;
  }
  flushProse();
  return regions;
}

/** The index of the line closing a fence opened with `marker`, or `lines.length` when it is never closed. */
function closingFence(lines: readonly string[], from: number, marker: string): number {
  for (let i = from; i < lines.length; i++) {
    const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(lines[i]);
    if (close && close[1][0] === marker[0] && close[1].length >= marker.length) return i;
  }
  return lines.length;
}

function isIndented(line: string): boolean {
  return line.trim() !== "" && /^(?: {4}|\t)/.test(line);
}

/** The end (exclusive) of an indented block starting at `from`: trailing blank lines are left out. */
function indentedEnd(lines: readonly string[], from: number): number {
  let end = from;
  for (let i = from; i < lines.length; i++) {
    if (isIndented(lines[i])) end = i + 1;
    else if (lines[i].trim() !== "") break;
  }
  return end;
}

/** The smallest indentation of the non-blank lines, in characters. */
export function minIndent(lines: readonly string[]): number {
  const indents = lines.filter((line) => line.trim() !== "").map((line) =>
    line.length - line.trimStart().length
  );
  return indents.length === 0 ? 0 : Math.min(...indents);
}

/** The indentation of a line, in characters. */
export function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}
