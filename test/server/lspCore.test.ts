// The stdio language server end to end: diagnostics, versions, quick fixes, noqa, docs, fix-all, settings.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient, applyWorkspaceEdit } from './lspClient';

let client: LspClient;
const SETTINGS = { select: ['PCC101', 'PCC301'] }; // the rules these tests assert on

before(async () => {
  client = await LspClient.start({ settings: SETTINGS });
});
after(async () => {
  await client.stop();
});

const SOURCE = [
  '# 😀 世界 non-ASCII before the flagged code',
  'import time',
  '',
  'async def poll():',
  '    s = "é😀"; time.sleep(1)',
  '',
].join('\n');

test('publishes PCC101 with code, source, docs link and an exact UTF-16 range', async () => {
  const diagnostics = await client.open('file:///tmp/core1.py', SOURCE);
  assert.equal(diagnostics.length, 1);
  const [d] = diagnostics;
  assert.equal(d.code, 'PCC101');
  assert.equal(d.source, 'concurrency-coach');
  assert.equal(d.message, 'Blocking `time.sleep()` in async function `poll` stalls the event loop');
  // `    s = "é😀"; ` is 15 UTF-16 code units (the emoji counts two).
  assert.deepEqual(d.range, { start: { line: 4, character: 15 }, end: { line: 4, character: 28 } });
  assert.match(d.codeDescription!.href, /^file:\/\/.*\/docs\/rules\/PCC101\.md$/);
});

test('the quick fix awaits asyncio.sleep and adds the import', async () => {
  const uri = 'file:///tmp/core1.py';
  const [d] = client.published.get(uri)!.at(-1)!.diagnostics;
  const actions = await client.codeActions(uri, d.range, [d]);
  assert.deepEqual(actions.map((a) => a.title), [
    'Replace with `await asyncio.sleep(...)` (unsafe)',
    'Disable PCC101 for this line',
    'Show documentation for PCC101',
  ]);
  assert.equal(actions[0].isPreferred, false);
  assert.equal(applyWorkspaceEdit(SOURCE, uri, actions[0].edit), SOURCE.replace('import time', 'import time\nimport asyncio').replace('time.sleep(1)', 'await asyncio.sleep(1)'));
  assert.equal(applyWorkspaceEdit(SOURCE, uri, actions[1].edit), SOURCE.replace('time.sleep(1)', 'time.sleep(1)  # noqa: PCC101'));
  await client.request('workspace/executeCommand', actions[2].command);
  assert.match(client.shownDocuments.at(-1)!, /docs\/rules\/PCC101\.md$/);
});

test('incremental edits re-publish for the new version; a fixed line clears the diagnostic', async () => {
  const uri = 'file:///tmp/core2.py';
  await client.open(uri, SOURCE);
  const cleared = await client.change(uri, 2, [{ range: { start: { line: 4, character: 15 }, end: { line: 4, character: 25 } }, text: 'print' }]);
  assert.deepEqual(cleared, []);
  const back = await client.change(uri, 3, [{ range: { start: { line: 4, character: 15 }, end: { line: 4, character: 20 } }, text: 't' + 'ime.sleep' }]);
  assert.equal(back!.length, 1);
  assert.deepEqual(back![0].range, { start: { line: 4, character: 15 }, end: { line: 4, character: 28 } });
});

test('code actions for a document changed since return nothing stale', async () => {
  const uri = 'file:///tmp/core3.py';
  const [d] = await client.open(uri, SOURCE);
  await client.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]);
  const actions = await client.codeActions(uri, d.range, [d]);
  // The old range now points at line 4 of the new text, which holds `async def poll():`.
  assert.deepEqual(actions, []);
});

test('source.fixAll applies the safe fixes only', async () => {
  const uri = 'file:///tmp/core4.py';
  const text = 'import threading\nimport time\nlock = threading.Lock()\n\nasync def f():\n    time.sleep(1)\n\ndef g():\n    lock.acquire()\n    print(1)\n    lock.release()\n';
  await client.open(uri, text);
  const actions = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll']);
  assert.equal(actions.length, 1);
  assert.equal(actions[0].kind, 'source.fixAll.concurrencyCoach');
  assert.equal(applyWorkspaceEdit(text, uri, actions[0].edit), text.replace('    lock.acquire()\n    print(1)\n    lock.release()\n', '    with lock:\n        print(1)\n'));
});

test('settings select, ignore and severity apply; an unknown code is reported clearly', async () => {
  const uri = 'file:///tmp/core5.py';
  client.settings = { ...SETTINGS, severity: { PCC101: 'error' }, ignore: ['PCC999'] };
  await client.changeConfiguration(client.settings);
  const diagnostics = await client.open(uri, SOURCE);
  assert.equal(diagnostics[0].severity, 1);
  await client.waitFor(() => client.messages.find((m) => m.message.includes('Unknown rule "PCC999" in concurrencyCoach.ignore')), 5000, 'the warning');
  await client.changeConfiguration({ select: ['PCC2', 'PCC3'] });
  await client.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: ' ' }], false);
  assert.deepEqual(await client.diagnosticsFor(uri, 2), []);
  await client.changeConfiguration(SETTINGS);
});
