// Lock and process rules over the real stdio server: diagnostics, related information and quick fixes.
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

function only(diagnostics: Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((d) => d.code === code);
}

async function firstAction(uri: string, d: Diagnostic) {
  const actions = await client.codeActions(uri, d.range, [d]);
  assert.ok(actions.length > 0, 'no code action');
  return actions;
}

test('PCC304: call_soon from a thread target becomes call_soon_threadsafe (safe, preferred)', async () => {
  const uri = 'file:///tmp/locks-304.py';
  const text = [
    'import asyncio',
    'import threading',
    '',
    '',
    'def produce(loop, queue):',
    '    # 😀 生产',
    '    loop.call_soon(queue.put_nowait, 1)',
    '',
    '',
    'async def main():',
    '    queue = asyncio.Queue()',
    '    threading.Thread(target=produce, args=(asyncio.get_running_loop(), queue)).start()',
    '    print(await queue.get())',
    '',
  ].join('\n');
  const [d] = only(await client.open(uri, text), 'PCC304');
  assert.equal(d.message, '`loop.call_soon()` in `produce`, which runs in a worker thread: event loop methods are not thread-safe; the loop may never notice the call');
  assert.deepEqual(d.range, { start: { line: 6, character: 4 }, end: { line: 6, character: 39 } });
  const actions = await firstAction(uri, d);
  assert.equal(actions[0].title, 'Use `call_soon_threadsafe`');
  assert.equal(actions[0].isPreferred, true);
  assert.equal(applyWorkspaceEdit(text, uri, actions[0].edit), text.replace('loop.call_soon(', 'loop.call_soon_threadsafe('));
});

test('PCC401: a module-level pool is moved into a main guard (unsafe), definitions after it move above', async () => {
  const uri = 'file:///tmp/locks-401.py';
  const text = [
    'import multiprocessing as mp',
    '',
    '# 池 😀',
    'pool = mp.Pool(2)',
    '',
    '',
    'def square(x):',
    '    return x * x',
    '',
    '',
    'print(pool.map(square, range(3)))',
    'pool.close()',
    '',
  ].join('\n');
  const [d] = only(await client.open(uri, text), 'PCC401');
  assert.equal(d.message, '`mp.Pool(2)` creates a Pool at import time, outside `if __name__ == "__main__":`: under spawn or forkserver every child process runs it again');
  assert.equal(d.severity, 1);
  const actions = await firstAction(uri, d);
  assert.equal(actions[0].title, 'Move the module-level code into `if __name__ == "__main__":` (unsafe)');
  assert.equal(actions[0].isPreferred, false);
  assert.equal(applyWorkspaceEdit(text, uri, actions[0].edit), [
    'import multiprocessing as mp',
    '',
    '',
    'def square(x):',
    '    return x * x',
    '',
    '',
    'if __name__ == "__main__":',
    '    # 池 😀',
    '    pool = mp.Pool(2)',
    '',
    '    print(pool.map(square, range(3)))',
    '    pool.close()',
    '',
  ].join('\n'));
});

test('PCC403: a leaked executor is rewritten as `with ... as executor:` (unsafe)', async () => {
  const uri = 'file:///tmp/locks-403.py';
  const text = [
    'from concurrent.futures import ThreadPoolExecutor as TPE',
    '',
    '',
    'def lengths(words):',
    '    executor = TPE(2)  # 😀 two workers',
    '    futures = [executor.submit(len, w) for w in words]',
    '    return [f.result() for f in futures]',
    '',
  ].join('\n');
  const [d] = only(await client.open(uri, text), 'PCC403');
  assert.equal(d.message, 'ThreadPoolExecutor `executor` is never shut down: its worker threads outlive `lengths`');
  const actions = await firstAction(uri, d);
  assert.equal(actions[0].title, 'Rewrite as `with ... as executor:` (unsafe)');
  assert.equal(applyWorkspaceEdit(text, uri, actions[0].edit), [
    'from concurrent.futures import ThreadPoolExecutor as TPE',
    '',
    '',
    'def lengths(words):',
    '    with TPE(2) as executor:  # 😀 two workers',
    '        futures = [executor.submit(len, w) for w in words]',
    '        return [f.result() for f in futures]',
    '',
  ].join('\n'));
});

test('PCC303: each side of a lock-order inversion points at the other', async () => {
  const uri = 'file:///tmp/locks-303.py';
  const text = [
    'import threading',
    '',
    'a = threading.Lock()',
    'b = threading.Lock()',
    '',
    '',
    'def one():',
    '    with a:',
    '        with b:',
    '            pass',
    '',
    '',
    'def two():',
    '    with b:',
    '        with a:',
    '            pass',
    '',
  ].join('\n');
  const found = only(await client.open(uri, text), 'PCC303');
  assert.deepEqual(found.map((d) => [d.range.start.line, d.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.message])]), [
    [8, [[uri, 14, '`a` is taken here while holding `b`']]],
    [14, [[uri, 8, '`b` is taken here while holding `a`']]],
  ]);
});

test('PCC302, PCC402, PCC404 and PCC405 publish without fixes', async () => {
  const uri = 'file:///tmp/locks-misc.py';
  const text = [
    'import subprocess',
    'import threading',
    'from concurrent.futures import ProcessPoolExecutor',
    '',
    '',
    'def run():',
    '    with threading.Lock():',
    '        pass',
    '    with ProcessPoolExecutor(1) as ex:',
    '        ex.submit(lambda: 1)',
    '    subprocess.run(["true"], preexec_fn=print)',
    '',
  ].join('\n');
  const diagnostics = await client.open(uri, text);
  assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]).sort(), [
    ['PCC302', 6], ['PCC402', 9], ['PCC404', 9], ['PCC405', 10],
  ]);
  for (const d of diagnostics) {
    // The range may touch another diagnostic's line: only suppression and docs actions, none that edits code.
    const titles = (await client.codeActions(uri, d.range, [d])).map((a) => a.title);
    assert.ok(titles.every((t) => /^(Disable PCC\d+ for this line|Show documentation for PCC\d+)$/.test(t)), titles.join(', '));
    assert.ok(titles.includes(`Disable ${d.code} for this line`));
  }
});
