// Snippet completions over LSP, for editors without contributed snippets.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-types';
import { LspClient } from './lspClient';
import { applyEdits } from '../../server/src/text/applyEdits';
import { expandSnippet } from './snippetExpand';
import { analyze, getParser } from './helpers';

let client: LspClient;
before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

async function complete(uri: string, text: string, line: number, character: number): Promise<CompletionItem[]> {
  await client.open(uri, text);
  const result = await client.request<CompletionItem[] | { items: CompletionItem[] }>('textDocument/completion', { textDocument: { uri }, position: { line, character } });
  return Array.isArray(result) ? result : result.items;
}

/** Applies the completion as a client would, then fills the placeholders with their defaults. */
function accept(text: string, item: CompletionItem): string {
  const main = item.textEdit as TextEdit;
  return expandSnippet(applyEdits(text, [...(item.additionalTextEdits ?? []), { range: main.range, newText: `\u0000${main.newText}\u0001` }]).replace(/\u0000([\s\S]*)\u0001/, (_, body) => body));
}

test('typing a prefix at a statement start offers the matching patterns as snippets', async () => {
  const text = '"""Module."""\nimport threading\n\n\ndef main():\n    cc-threads-jo';
  const items = await complete('file:///tmp/comp1.py', text, 5, 17);
  assert.deepEqual(items.map((i) => i.label), ['cc-threads-join']);
  const [item] = items;
  assert.equal(item.kind, 15);
  assert.equal(item.insertTextFormat, 2);
  assert.deepEqual((item.textEdit as TextEdit).range, { start: { line: 5, character: 4 }, end: { line: 5, character: 17 } });
  const result = accept(text, item);
  assert.ok(result.startsWith('"""Module."""\nimport threading\n'), 'keeps the module start');
  const tree = (await getParser()).parse(result)!;
  assert.equal(tree.rootNode.hasError, false, result);
  tree.delete();
  assert.deepEqual(await analyze(result), []);
});

test('imports the pattern needs are added once, above the code', async () => {
  const text = 'import os\n\ncc-asyncio-gather';
  const items = await complete('file:///tmp/comp2.py', text, 2, 17);
  const item = items.find((i) => i.label === 'cc-asyncio-gather')!;
  assert.deepEqual(item.additionalTextEdits, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: 'import asyncio\n' }]);
  const result = accept(text, item);
  assert.equal(result.split('\n').filter((l) => l === 'import asyncio').length, 1);
});

test('an empty file gets the imports inside the inserted text', async () => {
  const items = await complete('file:///tmp/comp3.py', 'cc-threads-lock', 0, 15);
  const result = accept('cc-threads-lock', items[0]);
  assert.match(result, /^import threading\nimport time\n\nclass Counter:/);
  const tree = (await getParser()).parse(result)!;
  assert.equal(tree.rootNode.hasError, false, result);
  tree.delete();
});

test('no completions inside an expression or a comment', async () => {
  assert.deepEqual(await complete('file:///tmp/comp4.py', 'x = cc-thr', 0, 10), []);
  assert.deepEqual(await complete('file:///tmp/comp5.py', '# cc-thr', 0, 8), []);
});
