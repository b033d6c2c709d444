// Applies LSP text edits to a string.
import type { TextEdit } from 'vscode-languageserver-types';
import { lineStarts, offsetAt } from './positions';

/** Applies non-overlapping edits; throws when two edits overlap. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = lineStarts(text);
  const spans = edits
    .map((e) => ({ start: offsetAt(starts, text, e.range.start), end: offsetAt(starts, text, e.range.end), text: e.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i].start < spans[i - 1].end) throw new Error('Overlapping edits');
  }
  let result = '';
  let last = 0;
  for (const span of spans) {
    result += text.slice(last, span.start) + span.text;
    last = span.end;
  }
  return result + text.slice(last);
}
