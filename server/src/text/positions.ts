// Position helpers. LSP and web-tree-sitter both count UTF-16 code units.
import type { Range, Position } from 'vscode-languageserver-types';
import type { Node } from '../trees';

export function rangeOf(node: Node): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

/** Offsets of each line start; lines end at \n, \r\n or a lone \r (as LSP counts them). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (ch === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** True when an LSP line starts at `offset`: after \n, or after a \r that no \n follows. */
function startsLine(text: string, offset: number): boolean {
  const before = text.charCodeAt(offset - 1);
  return before === 10 || (before === 13 && text.charCodeAt(offset) !== 10);
}

/**
 * The line starts after `text[start, oldEnd)` was replaced by `inserted` text ending at `newEnd`:
 * starts before the edit are kept, those after it move, and only the edited stretch is scanned.
 * Whether an offset starts a line depends on the character before it and the one at it, so the
 * scan covers `[start, newEnd]` and keeps old starts from `oldEnd + 1` on.
 */
export function editLineStarts(starts: readonly number[], text: string, start: number, oldEnd: number, newEnd: number): number[] {
  const delta = newEnd - oldEnd;
  // Starts before the edit are kept as they are (one copy), those after it move by `delta`.
  const before = lastAtMost(starts, start - 1) + 1;
  const out = starts.slice(0, before);
  if (start === 0) out.push(0);
  for (let offset = Math.max(start, 1); offset <= newEnd && offset <= text.length; offset++) {
    if (startsLine(text, offset)) out.push(offset);
  }
  for (let i = lastAtMost(starts, oldEnd) + 1; i < starts.length; i++) out.push(starts[i] + delta);
  return out;
}

/** The last index whose value is at most `value` (`sorted` ascending), or -1. */
export function lastAtMost(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export function offsetAt(starts: number[], text: string, pos: Position): number {
  if (pos.line >= starts.length) return text.length;
  if (pos.line < 0) return 0;
  const start = starts[pos.line];
  const next = pos.line + 1 < starts.length ? starts[pos.line + 1] : text.length;
  let offset = Math.max(start, Math.min(start + pos.character, next));
  // A character past the line's end means its end, before the line break (LSP; vscode-languageserver-textdocument).
  while (offset > start && (text.charCodeAt(offset - 1) === 10 || text.charCodeAt(offset - 1) === 13)) offset--;
  return offset;
}

export function positionAt(starts: number[], offset: number): Position {
  const line = Math.max(0, lastAtMost(starts, offset));
  return { line, character: offset - starts[line] };
}

/** Converts a UTF-16 column on a line to a count of Unicode code points (for the CLI). */
export function codePointColumn(lineText: string, utf16Column: number): number {
  let count = 0;
  for (let i = 0; i < utf16Column && i < lineText.length; i++) {
    const ch = lineText.charCodeAt(i);
    if (ch >= 0xd800 && ch <= 0xdbff && i + 1 < utf16Column) i++;
    count++;
  }
  return count;
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}
