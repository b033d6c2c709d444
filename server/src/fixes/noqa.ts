// "Disable PCC101 for this line": adds or extends the `# noqa:` comment.
import type { TextEdit } from 'vscode-languageserver-types';

const NOQA_LIST = /#\s*noqa:\s*[A-Za-z][\w-]*(?:\s*,\s*[A-Za-z][\w-]*)*/i;

export function noqaEdit(line: string, row: number, code: string): TextEdit {
  const existing = NOQA_LIST.exec(line);
  if (existing) {
    const end = existing.index + existing[0].length;
    return { range: { start: { line: row, character: end }, end: { line: row, character: end } }, newText: `, ${code}` };
  }
  const trimmed = line.replace(/\s+$/, '');
  return {
    range: { start: { line: row, character: trimmed.length }, end: { line: row, character: line.length } },
    newText: `  # noqa: ${code}`,
  };
}
