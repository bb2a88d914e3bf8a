/**
 * One Python statement read as an example: an `assert`, a `f(3)  # => 9` comment, or setup (an import,
 * an assignment). Pure.
 *
 * @module
 */
import type { Example } from "../types.ts";
import {
  codeOnly,
  hasCall,
  isBalanced,
  looksLikeProse,
  scanCode,
  splitComment,
  splitTopLevel,
  topLevelEquals,
} from "./_code_scan.ts";

/** Imports and plain assignments: what the examples may need first. */
export function isSetup(text: string): boolean {
  if (
    /^(?:import\s+[\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*|from\s+[\w.]+\s+import\s+.+)$/
      .test(text)
  ) {
    return true;
  }
  return /^[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*\s*=(?!=)/.test(codeOnly(text, "python")) &&
    !looksLikeProse(text.slice(text.indexOf("=") + 1), "python");
}

export function isStringOnly(text: string): boolean {
  return codeOnly(text, "python").replace(/^[rRuUbBfF]{0,2}/, "").trim() === "";
}

/** `assert <condition>[, message]` as an example, or undefined when it is incomplete or not code. */
export function assertExample(statement: string): Example | undefined {
  let rest = statement.replace(/^assert\b/, "").trim().replace(/;$/, "");
  if (/[^\d\s]\.$/.test(rest)) rest = rest.slice(0, -1); // the full stop of a sentence
  if (!isBalanced(rest, "python")) return undefined;
  const condition = splitTopLevel(rest, "python")[0] ?? "";
  if (condition === "" || !hasCall(condition, "python") || looksLikeProse(condition, "python")) {
    return undefined;
  }
  const negated = /^not\s/.test(condition) && !hasLowPrecedence(condition.slice(4));
  if (negated) return { kind: "true", condition: condition.slice(4).trim(), negated: true };
  const at = topLevelEquals(condition, "python");
  if (at !== -1) {
    const [actual, expected] = [condition.slice(0, at).trim(), condition.slice(at + 2).trim()];
    if (actual !== "" && expected !== "" && !hasLowPrecedence(actual) && !hasLowPrecedence(expected)) {
      return { kind: "equal", actual, expected };
    }
  }
  return { kind: "true", condition, negated: false };
}

/** True when `side` holds, outside brackets, an operator that binds less tightly than `==`. */
function hasLowPrecedence(side: string): boolean {
  const top = topLevelText(side);
  return /\b(?:and|or|not|if|else|lambda|in|is)\b|[<>]|!=|==/.test(top);
}

/** `text` with everything inside brackets, strings and comments blanked out. */
function topLevelText(text: string): string {
  const chars: string[] = text.split("").map(() => " ");
  scanCode(text, "python", (i, depth) => {
    if (depth === 0 && !"([{".includes(text[i])) chars[i] = text[i];
  });
  return chars.join("");
}

/** `f(3)  # => 9` as a `shows` example. */
export function arrowExample(text: string): Example | undefined {
  if (text.includes("\n")) return undefined;
  const { code, comment } = splitComment(text, "python");
  if (comment === undefined || !comment.startsWith("=>")) return undefined;
  const output = comment.slice(2).trim();
  if (output === "" || !isBalanced(code, "python") || !hasCall(code, "python")) return undefined;
  if (looksLikeProse(code, "python")) return undefined;
  return { kind: "shows", source: code.replace(/;$/, ""), output };
}
