import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { extension, hoverText, open, waitFor } from './helpers';
// The same expander the unit tests use for snippet bodies (compiled next to this suite in out/).
import { expandSnippet } from '../../server/snippetExpand';

suite('coaching, snippets and commands', () => {
  test('hovering an aliased API explains it, with a link to the Python docs', async () => {
    const { doc } = await open('pool_alias.py');
    const use = doc.lineAt(4).text.indexOf('TPE');
    assert.ok(use > 0, doc.lineAt(4).text);
    let last = '';
    const text = await waitFor('an API hover', async () => {
      last = await hoverText(doc.uri, new vscode.Position(4, use + 1));
      return last.includes('concurrent.futures.ThreadPoolExecutor') && last;
    }, undefined, () => last);
    assert.ok(text.includes('`TPE`'), 'names the alias as written');
    assert.ok(/https:\/\/docs\.python\.org\/3\/library\/concurrent\.futures\.html/.test(text), 'links the Python docs');
    assert.ok(/GIL/.test(text), 'explains what the GIL means for it');
  });

  test('"Open Guide" shows the guide in the Markdown preview', async () => {
    await vscode.commands.executeCommand('concurrencyCoach.openGuide');
    const tab = await waitFor('a guide preview tab', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => /guide/i.test(t.label) && t.input instanceof vscode.TabInputWebview),
    );
    assert.ok(/Preview/.test(tab.label) || tab.input instanceof vscode.TabInputWebview, tab.label);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a snippet inserted by its prefix gives the pattern, placeholders at their defaults', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'cc-threads-join' });
    const editor = await vscode.window.showTextDocument(doc);
    const end = doc.lineAt(0).range.end;
    const list = await waitFor('the snippet among the completions', async () => {
      const items = (await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, end)).items;
      return items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'cc-threads-join' && i.kind === vscode.CompletionItemKind.Snippet);
    });
    const snippet = list.insertText as vscode.SnippetString;
    assert.ok(snippet instanceof vscode.SnippetString, 'a snippet, with tab stops');
    await editor.insertSnippet(snippet, doc.lineAt(0).range);
    await vscode.commands.executeCommand('leaveSnippet');
    const body = JSON.parse(fs.readFileSync(path.join(extension().extensionPath, 'snippets', 'python.json'), 'utf8'))['threads-join'].body as string[];
    const unit = editor.options.insertSpaces ? ' '.repeat(editor.options.tabSize as number) : '\t';
    assert.strictEqual(doc.getText(), expandSnippet(body).replace(/^\t+/gm, (tabs) => unit.repeat(tabs.length)));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('"Insert Pattern" inserts the pattern and adds its imports once, after the docstring', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: '"""Jobs."""\nimport threading\n\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(3, 0, 3, 0);
    await vscode.commands.executeCommand('concurrencyCoach.insertPattern', 'asyncio-gather');
    await waitFor('the pattern to be inserted', () => doc.getText().includes('asyncio.gather'));
    await vscode.commands.executeCommand('leaveSnippet');
    const text = doc.getText();
    assert.ok(text.startsWith('"""Jobs."""\nimport asyncio\nimport threading\n') || text.startsWith('"""Jobs."""\nimport threading\nimport asyncio\n'), text);
    assert.strictEqual(text.split('\n').filter((l) => l === 'import asyncio').length, 1, 'the import is added once');
    assert.ok(/async def main\(\)/.test(text) && /asyncio\.run\(main\(\)\)/.test(text), text);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
