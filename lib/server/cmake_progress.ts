/**
 * Reads build progress out of cmake's output: Makefile generators print `[ 40%] Building …`, Ninja
 * prints `[12/345] Building …`.
 *
 * @module
 */

/** One progress step read from a build output line. */
export interface BuildStep {
  /** 0 to 100. */
  percent: number;
  /** The line without its progress prefix, e.g. `Building CXX object src/llama.cpp.o`. */
  message: string;
}

const MAKE_PROGRESS = /^\[\s*(\d{1,3})%\]\s*(.*)$/;
const NINJA_PROGRESS = /^\[(\d+)\/(\d+)\]\s*(.*)$/;

/** Parses one output line; undefined when it carries no progress. */
export function parseBuildLine(line: string): BuildStep | undefined {
  const text = line.trim();
  const make = MAKE_PROGRESS.exec(text);
  if (make) {
    const percent = Number(make[1]);
    return percent <= 100 ? { percent, message: make[2] } : undefined;
  }
  const ninja = NINJA_PROGRESS.exec(text);
  if (ninja) {
    const done = Number(ninja[1]);
    const total = Number(ninja[2]);
    if (total === 0 || done > total) return undefined;
    return { percent: Math.floor((done / total) * 100), message: ninja[3] };
  }
  return undefined;
}

/**
 * Turns a stream of lines into progress that never goes backwards (parallel make jobs print
 * percentages slightly out of order). Returns a function to feed lines to; it returns the step to
 * report, or undefined when the line brings nothing new.
 */
export function buildProgressTracker(): (line: string) => BuildStep | undefined {
  let highest = -1;
  return (line) => {
    const step = parseBuildLine(line);
    if (!step) return undefined;
    if (step.percent < highest) return { percent: highest, message: step.message };
    highest = step.percent;
    return step;
  };
}
