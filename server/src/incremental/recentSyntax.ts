// Memory: only the most recently used documents keep their syntax tree and its JavaScript mirror
// (about 80 bytes per character of text); the others keep their text, and are parsed again when
// next analysed, hovered or fixed. A budget in characters bounds the kept syntax, whatever the file sizes.
import type { PythonDocument } from '../documents';

/** At most this many documents keep their syntax. */
export const KEEP_SYNTAX = 8;
/** The documents that keep their syntax have at most this many characters together (the latest one always keeps it). */
export const SYNTAX_BUDGET = 250_000;

const recent = new Map<string, PythonDocument>();

/** Marks the document as just used and frees the syntax of those used longest ago, beyond the count or the budget. */
export function keepRecentSyntax(doc: PythonDocument, keep = KEEP_SYNTAX, budget = SYNTAX_BUDGET): void {
  recent.delete(doc.uri);
  recent.set(doc.uri, doc);
  const newestFirst = [...recent.values()].reverse();
  let kept = 0;
  let chars = 0;
  for (const old of newestFirst) {
    chars += old.text.length;
    if (old === doc || (kept < keep && chars <= budget)) {
      kept++;
      continue;
    }
    recent.delete(old.uri);
    old.releaseSyntax();
  }
}

/** Forgets a closed document. */
export function forgetSyntax(uri: string): void {
  recent.delete(uri);
}
