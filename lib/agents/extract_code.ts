/**
 * Finds the program in the Coder's reply. Pure.
 *
 * @module
 */
import type { Draft, Language, ModelReply } from "../types.ts";

/** Info-string words that mark a block as written in each language. */
const LANGUAGE_WORDS: Record<Language, readonly string[]> = {
  python: ["python", "python3", "py", "py3"],
  // JavaScript runs unchanged under `deno run main.ts`, so a block tagged for it is taken too.
  typescript: ["typescript", "ts", "deno", "javascript", "js", "mjs"],
};

/** File extensions that mark an info string such as `main.py` as naming each language. */
const LANGUAGE_EXTENSIONS: Record<Language, readonly string[]> = {
  python: [".py"],
  typescript: [".ts", ".js", ".mjs"],
};

/** A fenced block found in a reply. */
interface Block {
  /** The first word of the info string, lowercased; "" when untagged. */
  tag: string;
  content: string;
  closed: boolean;
}

/**
 * Extracts the program for `language` from a Coder reply.
 *
 * - Fences: three or more backticks or tildes, indented by up to three spaces, with or without an info
 *   string; a block is closed by a fence of the same character at least as long.
 * - Blocks tagged for `language` are preferred, then untagged blocks; blocks tagged for anything else
 *   (`bash`, `text`, `output`, …) and blank blocks are skipped. When several blocks qualify, the longest
 *   wins (the last on a tie): the prompt asks for one complete program, and the extra blocks small
 *   models add are usually short usage examples or fragments.
 * - A block left open at the end of the reply counts as code when the model stopped on its own (it
 *   forgot the closing fence), and as `truncated` when the reply was cut off (`finishReason` "length"
 *   at the token limit, or "time_limit" when the client stopped a slow turn) and no closed block
 *   qualifies.
 * - No qualifying block at all: `no_code`. Unfenced text is never taken as code.
 */
export function extractCode(reply: ModelReply, language: Language): Draft {
  const blocks = fencedBlocks(reply.text);
  const cutOff = reply.finishReason === "length" || reply.finishReason === "time_limit";
  const usable = blocks.filter((block) =>
    classify(block.tag, language) !== "other" && block.content.trim() !== "" && (block.closed || !cutOff)
  );
  const chosen = longest(usable.filter((block) => classify(block.tag, language) === "match")) ??
    longest(usable.filter((block) => classify(block.tag, language) === "untagged"));
  if (chosen) return { kind: "code", code: tidy(chosen.content), reply };
  const last = blocks.at(-1);
  if (cutOff && last && !last.closed && classify(last.tag, language) !== "other") {
    return { kind: "truncated", partial: last.content.trimEnd(), reply };
  }
  return { kind: "no_code", reply };
}

/** Splits `text` into its fenced blocks, in order; only the last can be unclosed. */
function fencedBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let open: { char: string; length: number; indent: number; tag: string; lines: string[] } | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (open === undefined) {
      const opening = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(line);
      if (opening === null) continue;
      const [, indent, marker, info] = opening;
      if (marker[0] === "`" && info.includes("`")) continue; // inline code, not a fence
      open = {
        char: marker[0],
        length: marker.length,
        indent: indent.length,
        tag: infoWord(info),
        lines: [],
      };
      continue;
    }
    const closing = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
    if (closing !== null && closing[1][0] === open.char && closing[1].length >= open.length) {
      blocks.push({ tag: open.tag, content: open.lines.join("\n"), closed: true });
      open = undefined;
      continue;
    }
    open.lines.push(removeIndent(line, open.indent));
  }
  if (open !== undefined) blocks.push({ tag: open.tag, content: open.lines.join("\n"), closed: false });
  return blocks;
}

/** The language word of an info string: `python title=x`, `{.python}` and `python:main.py` give "python". */
function infoWord(info: string): string {
  return info.trim().replace(/^\{\s*\.?/, "").split(/[\s,:{}]/)[0].toLowerCase();
}

/** Whether a block's tag names `language`, is missing, or names something else. */
function classify(tag: string, language: Language): "match" | "untagged" | "other" {
  if (tag === "") return "untagged";
  if (LANGUAGE_WORDS[language].includes(tag)) return "match";
  if (LANGUAGE_EXTENSIONS[language].some((extension) => tag.endsWith(extension))) return "match";
  return "other";
}

/** The block with the longest content; the last one on a tie. */
function longest(blocks: readonly Block[]): Block | undefined {
  let best: Block | undefined;
  for (const block of blocks) {
    if (best === undefined || block.content.length >= best.content.length) best = block;
  }
  return best;
}

/** Removes up to `indent` leading spaces, as CommonMark does inside an indented fence. */
function removeIndent(line: string, indent: number): string {
  let index = 0;
  while (index < indent && line[index] === " ") index++;
  return line.slice(index);
}

/** The code without leading and trailing blank lines, ending with one line break. */
function tidy(code: string): string {
  return `${code.replace(/^(?:[ \t]*\n)+/, "").trimEnd()}\n`;
}
