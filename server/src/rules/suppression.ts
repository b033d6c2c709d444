// `# noqa`, `# noqa: PCC101`, `# noqa: blocking-sleep-in-async` on the flagged line.
import type { Node } from '../trees';

export type LineSuppression = 'all' | Set<string>;

const NOQA = /#\s*noqa\b(?::\s*([A-Za-z][\w-]*(?:\s*,?\s*[A-Za-z][\w-]*)*))?/i;

/** Parses the noqa part of a comment: 'all' for a bare noqa, the listed codes/names, or undefined. */
export function parseNoqa(comment: string): LineSuppression | undefined {
  const match = NOQA.exec(comment);
  if (!match) return undefined;
  if (!match[1]) return 'all';
  return new Set(match[1].split(/[\s,]+/).filter(Boolean).map((s) => s.toLowerCase()));
}

/** Suppressions by line, read from the comment nodes. */
export function readSuppressions(comments: Node[]): Map<number, LineSuppression> {
  const byLine = new Map<number, LineSuppression>();
  for (const comment of comments) {
    const parsed = parseNoqa(comment.text);
    if (parsed) byLine.set(comment.startPosition.row, parsed);
  }
  return byLine;
}

export function isSuppressed(s: LineSuppression | undefined, code: string, name: string): boolean {
  if (!s) return false;
  return s === 'all' || s.has(code.toLowerCase()) || s.has(name.toLowerCase());
}
