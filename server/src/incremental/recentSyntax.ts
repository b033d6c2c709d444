// Memory: only the most recently analysed documents keep their syntax tree and its JavaScript
// mirror (tens of MB for a large file); the others keep their text, and are parsed again when
// next analysed, hovered or fixed.
import type { PythonDocument } from '../documents';

export const KEEP_SYNTAX = 4;

const recent = new Map<string, PythonDocument>();

/** Marks the document as just analysed and frees the syntax of those analysed longest ago. */
export function keepRecentSyntax(doc: PythonDocument, keep = KEEP_SYNTAX): void {
  recent.delete(doc.uri);
  recent.set(doc.uri, doc);
  for (const [uri, old] of recent) {
    if (recent.size <= keep) break;
    recent.delete(uri);
    if (old !== doc) old.releaseSyntax();
  }
}

/** Forgets a closed document. */
export function forgetSyntax(uri: string): void {
  recent.delete(uri);
}
