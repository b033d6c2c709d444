// "Python Concurrency: Insert Pattern…": pick a pattern, insert it at the cursor as a
// snippet, and add the imports it needs once at the top of the file. The patterns and the
// import placement are the server's (bundled in), so every editor gets the same text.
import * as vscode from 'vscode';
import { groupPatterns, loadPatterns, planPatternInsert, type Pattern } from '../../server/src/coaching/patterns';
import { DEFAULT_PYTHON } from '../../server/src/coaching/gil';
import { parsePythonVersion } from '../../server/src/pythonVersion';

interface PatternItem extends vscode.QuickPickItem {
  pattern?: Pattern;
}

let patterns: Pattern[] | undefined;

/** With a pattern key or prefix (`threads-join`, `cc-threads-join`: from a keybinding or a test), no picker is shown. */
export async function insertPattern(key?: string): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Open a Python file first: the pattern is inserted at the cursor.');
    return;
  }
  try {
    patterns ??= loadPatterns();
  } catch (error) {
    void vscode.window.showErrorMessage(`Python Concurrency Coach: cannot read the patterns (${String(error)}).`);
    return;
  }
  const chosen = typeof key === 'string' ? patterns.find((p) => p.key === key || p.prefix === key) : undefined;
  if (typeof key === 'string' && !chosen) {
    void vscode.window.showErrorMessage(`Python Concurrency Coach: no pattern named "${key}".`);
    return;
  }
  if (chosen) return insertInto(editor, chosen);
  const python = targetPython(editor.document.uri);
  const picked = await vscode.window.showQuickPick(pickerItems(patterns, python), {
    title: 'Insert Concurrency Pattern',
    placeHolder: `Type to filter. Patterns with a warning sign need a newer Python than ${python}.`,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked?.pattern) return;
  // The picker took focus; the editor may have been closed meanwhile.
  if (editor.document.isClosed) return;
  await insertInto(editor, picked.pattern);
}

/** The Python the user targets: the setting when valid, else the default. */
function targetPython(uri: vscode.Uri): string {
  const setting = vscode.workspace.getConfiguration('concurrencyCoach', uri).get<string>('pythonVersion');
  return parsePythonVersion(setting) ?? DEFAULT_PYTHON;
}

function pickerItems(all: Pattern[], python: string): PatternItem[] {
  const items: PatternItem[] = [];
  for (const group of groupPatterns(all, python)) {
    items.push({ label: group.label, kind: vscode.QuickPickItemKind.Separator });
    for (const { pattern, supported } of group.entries) {
      items.push({
        label: supported ? pattern.title : `$(warning) ${pattern.title}`,
        description: `${pattern.prefix} · Python ${pattern.minPython}+`,
        detail: supported ? pattern.description : `${pattern.description}. Needs Python ${pattern.minPython}; you target ${python}.`,
        pattern,
      });
    }
  }
  return items;
}

/** Adds the missing imports, then inserts the snippet (see planPatternInsert), as one undo step. */
async function insertInto(editor: vscode.TextEditor, pattern: Pattern): Promise<void> {
  const document = editor.document;
  const { start, end } = editor.selection;
  const plan = planPatternInsert(document.getText(), pattern, document.offsetAt(start), document.offsetAt(end));
  if (plan.imports.length > 0) {
    const applied = await editor.edit(
      (builder) => {
        for (const ins of plan.imports) builder.insert(new vscode.Position(ins.line, 0), ins.text);
      },
      { undoStopBefore: true, undoStopAfter: false },
    );
    if (!applied) {
      void vscode.window.showWarningMessage('Python Concurrency Coach: the document changed meanwhile; nothing was inserted.');
      return;
    }
  }
  const target = new vscode.Range(document.positionAt(plan.start), document.positionAt(plan.end));
  await editor.insertSnippet(new vscode.SnippetString(plan.snippet), target, { undoStopBefore: plan.imports.length === 0, undoStopAfter: true });
}
