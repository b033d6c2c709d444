// PCC112–PCC119 over the real stdio server: diagnostic, quick fix, the exact text after the edit.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { LspClient, applyWorkspaceEdit } from './lspClient';

let client: LspClient;
before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

let counter = 0;

/** Opens the text, finds the one diagnostic of `code`, applies its quick fix and returns the result. */
async function fixOnce(code: string, text: string, title: string, preferred: boolean): Promise<{ diagnostic: Diagnostic; fixed: string }> {
  const uri = `file:///tmp/asyncio-tasks-${++counter}.py`;
  const diagnostics = (await client.open(uri, text)).filter((d) => d.code === code);
  assert.equal(diagnostics.length, 1, `one ${code} diagnostic: ${JSON.stringify(diagnostics)}`);
  const [diagnostic] = diagnostics;
  const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
  const fix = actions.find((a) => a.title === title);
  assert.ok(fix, `a "${title}" action among ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.equal(fix.isPreferred ?? false, preferred);
  await client.close(uri);
  return { diagnostic, fixed: applyWorkspaceEdit(text, uri, fix.edit) };
}

test('PCC112: asyncio.run() inside a coroutine becomes await', async () => {
  const text = [
    '# 世界 😀',
    'import asyncio as aio',
    '',
    'async def fetch():',
    '    return 1',
    '',
    'async def main():',
    '    value = aio.run(fetch()).real  # keep this comment',
    '    return value',
    '',
  ].join('\n');
  const { diagnostic, fixed } = await fixOnce('PCC112', text, 'Replace `aio.run(...)` with `await`', true);
  assert.equal(diagnostic.message, '`aio.run()` in async function `main` raises RuntimeError: this thread\'s event loop is already running');
  assert.deepEqual(diagnostic.range, { start: { line: 7, character: 12 }, end: { line: 7, character: 28 } });
  assert.equal(fixed, text.replace('aio.run(fetch()).real', '(await fetch()).real'));
});

test('PCC113: await in a plain def; the unsafe fix makes it async def', async () => {
  const text = 'import asyncio\n\n\ndef total():  # sums\n    return await asyncio.sleep(0, 1)\n';
  const { diagnostic, fixed } = await fixOnce('PCC113', text, 'Make `total` an `async def` (unsafe)', false);
  assert.equal(diagnostic.message, '`await` in non-async function `total` is a SyntaxError');
  assert.equal(fixed, text.replace('def total', 'async def total'));
});

test('PCC113: top-level await is allowed in a notebook cell, not in a file', async () => {
  const text = 'import asyncio\nawait asyncio.sleep(0)\n';
  const inFile = await client.open('file:///tmp/asyncio-tasks-notebook.py', text);
  assert.deepEqual(inFile.filter((d) => d.code === 'PCC113').map((d) => d.range.start.line), [1]);
  const inCell = await client.open('vscode-notebook-cell:/tmp/notebook.ipynb#W0sZmlsZQ%3D%3D', text);
  assert.deepEqual(inCell.filter((d) => d.code === 'PCC113'), []);
});

test('PCC115: a swallowed CancelledError gets a raise at the end of the handler', async () => {
  const text = [
    'import asyncio',
    'import logging',
    '',
    'async def worker():',
    '    try:',
    '        await asyncio.sleep(10)',
    '    except asyncio.CancelledError:',
    '        logging.info("cancelled")  # cleanup',
    '    return 1',
    '',
  ].join('\r\n');
  const { diagnostic, fixed } = await fixOnce('PCC115', text, 'Re-raise the cancellation at the end of the handler (unsafe)', false);
  assert.deepEqual(diagnostic.range, { start: { line: 6, character: 11 }, end: { line: 6, character: 33 } });
  assert.equal(fixed, text.replace('# cleanup', '# cleanup\r\n        raise'));
});

test('PCC115: awaiting a task the function cancelled re-raises only its own cancellation', async () => {
  const text = [
    'import asyncio',
    '',
    'async def stop(task):',
    '    task.cancel()',
    '    try:',
    '        await task',
    '    except asyncio.CancelledError:',
    '        pass',
    '',
  ].join('\n');
  const { fixed } = await fixOnce('PCC115', text, 'Re-raise when this task itself is being cancelled (unsafe)', false);
  assert.equal(fixed, text.replace('        pass', '        if asyncio.current_task().cancelling():\n            raise'));
});

test('PCC116: with on an asyncio lock becomes async with', async () => {
  const text = 'import asyncio\n\nlock = asyncio.Lock()\n\nasync def bump():\n    with lock:\n        pass\n';
  const { diagnostic, fixed } = await fixOnce('PCC116', text, 'Use `async with`', true);
  assert.equal(diagnostic.message, '`with` on asyncio.Lock `lock` raises TypeError: it needs `async with`');
  assert.equal(fixed, text.replace('    with lock:', '    async with lock:'));
});

test('PCC116: async with on a thread lock becomes a plain with, marked unsafe', async () => {
  const text = 'import threading\n\nlock = threading.Lock()\n\nasync def bump():\n    async with lock:\n        pass\n';
  const { fixed } = await fixOnce('PCC116', text, 'Use a plain `with` (unsafe)', false);
  assert.equal(fixed, text.replace('async with lock:', 'with lock:'));
});

test('PCC117: get_event_loop() in a coroutine becomes get_running_loop(), keeping the alias', async () => {
  const text = 'import asyncio as aio\n\nasync def main():\n    loop = aio.get_event_loop()\n    return loop\n';
  const { fixed } = await fixOnce('PCC117', text, 'Replace with `get_running_loop()`', true);
  assert.equal(fixed, text.replace('aio.get_event_loop()', 'aio.get_running_loop()'));
});

test('PCC117: a bare imported get_event_loop() is rewritten through the module import', async () => {
  const text = 'from asyncio import get_event_loop\n\nasync def main():\n    return get_event_loop()\n';
  const { fixed } = await fixOnce('PCC117', text, 'Replace with `get_running_loop()`', true);
  assert.equal(fixed, 'from asyncio import get_event_loop\nimport asyncio\n\nasync def main():\n    return asyncio.get_running_loop()\n');
});

test('PCC114, PCC118 and PCC119 report without a fix', async () => {
  const text = [
    'import asyncio',
    '',
    'done = False',
    '',
    'async def idle():',
    '    return 1',
    '',
    'async def main():',
    '    while not done:',
    '        await asyncio.sleep(1)',
    '    await asyncio.gather(idle(), return_exceptions=True)',
    '',
  ].join('\n');
  const mine = new Set(['PCC114', 'PCC118', 'PCC119']);
  const diagnostics = (await client.open('file:///tmp/asyncio-tasks-nofix.py', text)).filter((d) => mine.has(String(d.code)));
  assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['PCC118', 4], ['PCC114', 8], ['PCC119', 10]]);
  for (const d of diagnostics) {
    const actions = await client.codeActions('file:///tmp/asyncio-tasks-nofix.py', d.range, [d]);
    assert.deepEqual(actions.map((a) => a.title), [`Disable ${d.code} for this line`, `Show documentation for ${d.code}`]);
  }
});
