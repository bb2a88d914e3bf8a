/**
 * Reading prompts the way a Markdown reader would, to prove fences hold untrusted text.
 *
 * @module
 */
import assert from "node:assert/strict";
import { UNTRUSTED_LABEL } from "../../lib/agents/fence.ts";

/** The body of the untrusted block labelled `stream`, read the way a Markdown reader would. */
export function untrustedBody(content: string, stream: string): string {
  const lines = content.split("\n");
  const label = lines.findIndex((line) => line.startsWith(`${stream} (${UNTRUSTED_LABEL}`));
  assert.ok(label >= 0, `no untrusted ${stream} block`);
  const ticks = /^(`{3,})text$/.exec(lines[label + 1])?.[1];
  assert.ok(ticks !== undefined, "the label is not followed by a fence");
  const closes = (line: string) => (/^ {0,3}(`{3,})\s*$/.exec(line)?.[1].length ?? 0) >= ticks.length;
  const end = lines.findIndex((line, index) => index > label + 1 && closes(line));
  assert.equal(lines[end], ticks, "the first line that could close the fence is its own closing fence");
  return lines.slice(label + 2, end).join("\n");
}

/** The lines a Markdown reader sees outside any fenced block. */
export function linesOutsideFences(content: string): string[] {
  const outside: string[] = [];
  let open: string | undefined;
  for (const line of content.split("\n")) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (open === undefined && marker !== undefined) open = marker;
    else if (
      open !== undefined && marker?.[0] === open[0] && marker.length >= open.length && line.trim() === marker
    ) {
      open = undefined;
    } else if (open === undefined) outside.push(line);
  }
  return outside;
}
