// Notebook cells share one namespace: a cell sees the imports of the other cells; top-level await is legal.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient, applyWorkspaceEdit } from './lspClient';

let client: LspClient;
before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

const NOTEBOOK = 'vscode-notebook-cell:/tmp/analysis.ipynb';

test('a cell that uses an import from another cell is analysed with it, and re-analysed when it changes', async () => {
  const imports = `${NOTEBOOK}#W0sZmlsZQ%3D%3D`;
  const work = `${NOTEBOOK}#W1sZmlsZQ%3D%3D`;
  await client.open(imports, 'import time\nimport asyncio\n');
  const code = 'async def poll():\n    time.sleep(1)\n    await asyncio.sleep(0)\n\nawait poll()\n';
  const diagnostics = await client.open(work, code);
  assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['PCC101', 1]], 'top-level await is not flagged in a cell');
  const actions = await client.codeActions(work, diagnostics[0].range, diagnostics);
  assert.equal(applyWorkspaceEdit(code, work, actions[0].edit), code.replace('time.sleep(1)', 'await asyncio.sleep(1)'), 'the fix uses the other cell\'s import');
  // Without `import time` in the first cell, `time` is unknown: no finding.
  await client.change(imports, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }]);
  await client.waitFor(() => client.published.get(work)?.at(-1)?.diagnostics.length === 0 || undefined, 5000, 'the cell to be re-analysed');
});

test('the same code in a plain file flags the top-level await', async () => {
  const diagnostics = await client.open('file:///tmp/not_a_notebook.py', 'import asyncio\n\nasync def f():\n    await asyncio.sleep(0)\n\nawait f()\n');
  assert.deepEqual(diagnostics.map((d) => d.code), ['PCC113']);
});

test('a hover in a cell explains an API imported in another cell', async () => {
  const imports = `${NOTEBOOK}#hover0`;
  const work = `${NOTEBOOK}#hover1`;
  await client.open(imports, 'import concurrent.futures as cf\n');
  const code = 'pool = cf.ThreadPoolExecutor(max_workers=2)\n';
  await client.open(work, code);
  const hover = await client.hover(work, { line: 0, character: code.indexOf('ThreadPool') + 2 });
  assert.ok(hover, 'a hover on the API');
  const value = (hover.contents as { value: string }).value;
  assert.match(value, /concurrent\.futures\.ThreadPoolExecutor/, value);
  assert.deepEqual(hover.range, { start: { line: 0, character: 10 }, end: { line: 0, character: 28 } });
  // In a plain file the name is unknown: no API hover.
  const plain = await client.open('file:///tmp/no_import.py', code);
  assert.ok(plain !== undefined);
  assert.equal(await client.hover('file:///tmp/no_import.py', { line: 0, character: code.indexOf('ThreadPool') + 2 }), null);
});
