/**
 * A tiny syntax highlighter for Python and TypeScript programs: comments, strings, numbers, keywords,
 * literals and called names become `<span class="tk-…">`, everything else is plain text. All text is
 * escaped. No external code, no CDN. Pure.
 *
 * @module
 */
import type { Language } from "../types.ts";
import { escapeHtml, SafeHtml } from "./html.ts";

/** The kinds of token that get a colour. */
export type TokenKind = "kw" | "str" | "num" | "com" | "fn" | "lit" | "text";

/** One piece of a program with its kind. */
export interface Token {
  kind: TokenKind;
  text: string;
}

const PYTHON_KEYWORDS = new Set(
  ("and as assert async await break class continue def del elif else except finally for from global if " +
    "import in is lambda nonlocal not or pass raise return try while with yield match case").split(" "),
);
const PYTHON_LITERALS = new Set(["True", "False", "None", "self"]);
const TS_KEYWORDS = new Set(
  ("abstract as async await break case catch class const continue debugger default delete do else enum " +
    "export extends finally for from function if implements import in instanceof interface let new of " +
    "private protected public readonly return static switch throw try type typeof var void while with " +
    "yield satisfies keyof declare namespace").split(" "),
);
const TS_LITERALS = new Set(["true", "false", "null", "undefined", "this", "super", "NaN", "Infinity"]);

const PYTHON_RE = new RegExp(
  [
    String.raw`(?<com>#[^\n]*)`,
    String
      .raw`(?<str>[rRbBfFuU]{0,2}(?:"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?))`,
    String.raw`(?<num>\b(?:0[xXoObB][0-9a-fA-F_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?j?|\.\d+)\b)`,
    String.raw`(?<word>[A-Za-z_][A-Za-z0-9_]*)`,
  ].join("|"),
  "gy",
);

const TS_RE = new RegExp(
  [
    String.raw`(?<com>\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$))`,
    String.raw`(?<str>"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?|\x60(?:\\[\s\S]|[^\x60\\])*\x60?)`,
    String.raw`(?<num>\b(?:0[xXoObB][0-9a-fA-F_]+n?|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?n?|\.\d+)\b)`,
    String.raw`(?<word>[A-Za-z_$][A-Za-z0-9_$]*)`,
  ].join("|"),
  "gy",
);

/** Splits a program into tokens; joining their texts gives the program back exactly. */
export function tokenize(code: string, language: Language): Token[] {
  const re = language === "python" ? PYTHON_RE : TS_RE;
  const keywords = language === "python" ? PYTHON_KEYWORDS : TS_KEYWORDS;
  const literals = language === "python" ? PYTHON_LITERALS : TS_LITERALS;
  const tokens: Token[] = [];
  let plain = "";
  const push = (kind: TokenKind, text: string) => {
    if (plain) tokens.push({ kind: "text", text: plain });
    plain = "";
    tokens.push({ kind, text });
  };
  let i = 0;
  while (i < code.length) {
    re.lastIndex = i;
    const match = re.exec(code);
    if (!match || match[0] === "") {
      plain += code[i++];
      continue;
    }
    const groups = match.groups ?? {};
    const text = match[0];
    if (groups.com !== undefined) push("com", text);
    else if (groups.str !== undefined) push("str", text);
    else if (groups.num !== undefined) push("num", text);
    else if (keywords.has(text)) push("kw", text);
    else if (literals.has(text)) push("lit", text);
    else if (/^\s*\(/.test(code.slice(i + text.length, i + text.length + 8))) push("fn", text);
    else plain += text;
    i += text.length;
  }
  if (plain) tokens.push({ kind: "text", text: plain });
  return tokens;
}

/** The program as escaped HTML with coloured tokens (no enclosing element). */
export function highlight(code: string, language: Language): SafeHtml {
  const out = tokenize(code, language).map((t) =>
    t.kind === "text" ? escapeHtml(t.text) : `<span class="tk-${t.kind}">${escapeHtml(t.text)}</span>`
  );
  return new SafeHtml(out.join(""));
}

/** A best guess at a program's language when nothing says (Python unless it looks like TypeScript). */
export function guessLanguage(code: string): Language {
  const ts = /\b(?:const|let|function|interface|console\.log)\b|=>|;\s*$/m.test(code);
  const py = /^\s*(?:def |import |from \S+ import |print\()|:\s*$/m.test(code);
  return ts && !py ? "typescript" : "python";
}
