import * as assert from 'assert';
import * as vscode from 'vscode';
import { applyAction, codeOf, ours, quickFixes, waitFor, waitForDiagnostics } from './helpers';

suite('notebooks', () => {
  test('Python cells get diagnostics and fixes, with imports from other cells; top-level await is fine', async () => {
    const data = new vscode.NotebookData([
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'import asyncio\nimport time', 'python'),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'async def poll():\n    time.sleep(1)\n    await asyncio.sleep(0)\n\nawait poll()', 'python'),
    ]);
    const notebook = await vscode.workspace.openNotebookDocument('jupyter-notebook', data);
    await vscode.window.showNotebookDocument(notebook);
    const cell = notebook.cellAt(1).document;
    const [d] = await waitForDiagnostics(cell.uri, 1, 'PCC101');
    assert.strictEqual(d.range.start.line, 1);
    assert.deepStrictEqual(ours(cell.uri).map(codeOf), ['PCC101'], 'the top-level await is not flagged');
    let last = '';
    const hover = await waitFor('a hover in the cell', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', cell.uri, d.range.start.translate(0, 2));
      last = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return /PCC101/.test(last) && last;
    }, undefined, () => last);
    assert.ok(hover.includes('asyncio.sleep'), hover);
    const fix = (await quickFixes(cell.uri, d.range)).find((a) => a.title.startsWith('Replace with `await asyncio.sleep(...)`'));
    assert.ok(fix, 'the quick fix is offered');
    await applyAction(fix);
    await waitFor('the fix to land', () => cell.getText().includes('await asyncio.sleep(1)'));
    assert.strictEqual(cell.getText(), 'async def poll():\n    await asyncio.sleep(1)\n    await asyncio.sleep(0)\n\nawait poll()', 'uses the import of the first cell');
    await waitFor('the diagnostic to clear', () => ours(cell.uri).length === 0);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
