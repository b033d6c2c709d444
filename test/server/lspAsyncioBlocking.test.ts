// Asyncio blocking, coroutine and task rules (PCC102–PCC106, PCC110, PCC111) over the real stdio
// server: the diagnostic, its quick fix, and the exact text after applying the fix's edit.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
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

/** The rule's own fix among the code actions for a diagnostic (not "Disable" or "Show documentation"). */
async function quickFix(uri: string, d: Diagnostic): Promise<CodeAction> {
  const actions = await client.codeActions(uri, d.range, [d]);
  const fix = actions.find((a) => !a.title.startsWith('Disable ') && !a.title.startsWith('Show documentation'));
  assert.ok(fix, `no quick fix for ${d.code}: ${actions.map((a) => a.title).join(', ')}`);
  return fix;
}

const lines = (...text: string[]) => text.join('\n');

test('PCC102: requests.get under an alias is wrapped in asyncio.to_thread, keeping arguments and comments', async () => {
  const uri = 'file:///tmp/asyncio-102.py';
  const text = lines(
    'import asyncio as aio',
    'import requests as rq',
    '',
    '',
    'async def fetch(url):',
    '    # 下载 😀',
    '    data = rq.get(url, timeout=5).json()  # one call',
    '    return data',
    '',
  );
  const [d] = only(await client.open(uri, text), 'PCC102');
  assert.equal(d.message, 'Blocking HTTP call `rq.get()` in async function `fetch` stalls the event loop');
  assert.equal(d.severity, 2);
  assert.deepEqual(d.range, { start: { line: 6, character: 11 }, end: { line: 6, character: 33 } });
  const fix = await quickFix(uri, d);
  assert.equal(fix.title, 'Run in a worker thread: `await aio.to_thread(rq.get, ...)` (unsafe)');
  assert.equal(fix.isPreferred, false);
  assert.equal(applyWorkspaceEdit(text, uri, fix.edit), text.replace(
    'data = rq.get(url, timeout=5).json()',
    'data = (await aio.to_thread(rq.get, url, timeout=5)).json()',
  ));
});

test('PCC103: in a trio module, keyword arguments go through functools.partial (imported once)', async () => {
  const uri = 'file:///tmp/asyncio-103.py';
  const text = lines(
    'import subprocess',
    '',
    'import trio',
    '',
    '',
    'async def build():',
    '    subprocess.run(["make"], check=True)',
    '',
  );
  const [d] = only(await client.open(uri, text), 'PCC103');
  assert.equal(d.message, 'Blocking process call `subprocess.run()` in async function `build` stalls the event loop');
  const fix = await quickFix(uri, d);
  assert.equal(fix.title, 'Run in a worker thread: `await trio.to_thread.run_sync(subprocess.run, ...)` (unsafe)');
  assert.equal(applyWorkspaceEdit(text, uri, fix.edit), lines(
    'import subprocess',
    '',
    'import trio',
    'import functools',
    '',
    '',
    'async def build():',
    '    await trio.to_thread.run_sync(functools.partial(subprocess.run, ["make"], check=True))',
    '',
  ));
});

test('PCC104: Path.read_text in a method is run in a worker thread; asyncio is imported when missing', async () => {
  const uri = 'file:///tmp/asyncio-104.py';
  const text = lines(
    '"""Settings."""',
    'from pathlib import Path',
    '',
    '',
    'class Settings:',
    '    def __init__(self, folder):',
    '        self.path = Path(folder) / "settings.toml"',
    '',
    '    async def load(self):',
    '        return self.path.read_text(',
    '            encoding="utf-8",  # 编码',
    '        )',
    '',
  );
  const [d] = only(await client.open(uri, text), 'PCC104');
  assert.equal(d.message, 'Blocking file I/O `self.path.read_text()` on a `pathlib.Path` in async function `load` stalls the event loop');
  const fix = await quickFix(uri, d);
  assert.equal(applyWorkspaceEdit(text, uri, fix.edit), lines(
    '"""Settings."""',
    'from pathlib import Path',
    'import asyncio',
    '',
    '',
    'class Settings:',
    '    def __init__(self, folder):',
    '        self.path = Path(folder) / "settings.toml"',
    '',
    '    async def load(self):',
    '        return await asyncio.to_thread(',
    '            self.path.read_text,',
    '            encoding="utf-8",  # 编码',
    '        )',
    '',
  ));
});

test('PCC105: input() in an anyio module becomes anyio.to_thread.run_sync(input, ...)', async () => {
  const uri = 'file:///tmp/asyncio-105.py';
  const text = lines('import anyio', '', '', 'async def ask():', '    return input("Name? ").strip()', '');
  const [d] = only(await client.open(uri, text), 'PCC105');
  assert.equal(d.message, 'Blocking `input()` in async function `ask` stalls the event loop until a line is typed');
  const fix = await quickFix(uri, d);
  assert.equal(applyWorkspaceEdit(text, uri, fix.edit),
    text.replace('return input("Name? ").strip()', 'return (await anyio.to_thread.run_sync(input, "Name? ")).strip()'));
});

test('PCC106: Thread.join() is awaited in a worker thread; `with lock:` is reported without a fix', async () => {
  const uri = 'file:///tmp/asyncio-106.py';
  const text = lines(
    'import asyncio',
    'import threading',
    '',
    'lock = threading.Lock()',
    '',
    '',
    'async def main(work):',
    '    worker = threading.Thread(target=work)',
    '    worker.start()',
    '    with lock:',
    '        worker.join()',
    '',
  );
  const found = only(await client.open(uri, text), 'PCC106');
  assert.deepEqual(found.map((d) => d.message), [
    '`with lock:` waits for a `threading.Lock` and stalls the event loop in async function `main`',
    'Blocking `worker.join()` on a `threading.Thread` in async function `main` stalls the event loop',
  ]);
  const withActions = await client.codeActions(uri, found[0].range, [found[0]]);
  assert.deepEqual(withActions.map((a) => a.title), ['Disable PCC106 for this line', 'Show documentation for PCC106']);
  const fix = await quickFix(uri, found[1]);
  assert.equal(applyWorkspaceEdit(text, uri, fix.edit), text.replace('        worker.join()', '        await asyncio.to_thread(worker.join)'));
});

test('PCC110: a method coroutine gets `await` (unsafe); a call at module level is an error without a fix', async () => {
  const uri = 'file:///tmp/asyncio-110.py';
  const text = lines(
    'import asyncio',
    '',
    '',
    'class Client:',
    '    async def fetch(self):',
    '        await asyncio.sleep(0)',
    '',
    '    async def run(self):',
    '        self.fetch()  # 😀',
    '',
    '',
    'asyncio.sleep(1)',
    '',
  );
  const found = only(await client.open(uri, text), 'PCC110');
  assert.deepEqual(found.map((d) => [d.message, d.severity]), [
    ['`self.fetch()` creates a coroutine that is never awaited: its body never runs', 2],
    ['`asyncio.sleep()` creates a coroutine that is never awaited: its body never runs', 1],
  ]);
  assert.equal(found[0].relatedInformation?.[0].message, '`fetch` is defined with `async def` here');
  assert.deepEqual(found[0].relatedInformation?.[0].location.range, { start: { line: 4, character: 14 }, end: { line: 4, character: 19 } });
  const fix = await quickFix(uri, found[0]);
  assert.equal(fix.title, 'Insert `await` (unsafe)');
  assert.equal(fix.isPreferred, false);
  assert.equal(applyWorkspaceEdit(text, uri, fix.edit), text.replace('        self.fetch()', '        await self.fetch()'));
  const moduleActions = await client.codeActions(uri, found[1].range, [found[1]]);
  assert.ok(!moduleActions.some((a) => a.title.startsWith('Insert')), 'no `await` fix outside async context');
});

test('PCC110: a user-set severity applies to module-level findings too', async () => {
  await client.changeConfiguration({ severity: { PCC110: 'info' } });
  try {
    const uri = 'file:///tmp/asyncio-110-severity.py';
    const found = only(await client.open(uri, lines('import asyncio', '', 'asyncio.sleep(1)', '')), 'PCC110');
    assert.deepEqual(found.map((d) => d.severity), [3]);
  } finally {
    await client.changeConfiguration({});
  }
});

test('PCC111: a dropped task is kept in a module-level set until done (unsafe)', async () => {
  const uri = 'file:///tmp/asyncio-111.py';
  const text = lines(
    'import asyncio',
    '',
    '',
    'async def job():',
    '    await asyncio.sleep(0)',
    '',
    '',
    'async def main():',
    '    # 后台 😀',
    '    asyncio.create_task(job())',
    '    task = asyncio.create_task(job())',
    '',
  );
  const found = only(await client.open(uri, text), 'PCC111');
  assert.deepEqual(found.map((d) => d.message), [
    'Task from `asyncio.create_task()` is dropped: nothing keeps a reference, so it may be garbage-collected before it finishes',
    'Task from `asyncio.create_task()` is bound to `task`, which is never used: it may be garbage-collected before it finishes',
  ]);
  const fix = await quickFix(uri, found[0]);
  assert.equal(fix.title, 'Keep a reference in `_background_tasks` until the task is done (unsafe)');
  assert.equal(applyWorkspaceEdit(text, uri, fix.edit), lines(
    'import asyncio',
    '',
    '_background_tasks = set()',
    '',
    '',
    'async def job():',
    '    await asyncio.sleep(0)',
    '',
    '',
    'async def main():',
    '    # 后台 😀',
    '    task_1 = asyncio.create_task(job())',
    '    _background_tasks.add(task_1)',
    '    task_1.add_done_callback(_background_tasks.discard)',
    '    task = asyncio.create_task(job())',
    '',
  ));
  const second = await quickFix(uri, found[1]);
  assert.equal(applyWorkspaceEdit(text, uri, second.edit), lines(
    'import asyncio',
    '',
    '_background_tasks = set()',
    '',
    '',
    'async def job():',
    '    await asyncio.sleep(0)',
    '',
    '',
    'async def main():',
    '    # 后台 😀',
    '    asyncio.create_task(job())',
    '    task = asyncio.create_task(job())',
    '    _background_tasks.add(task)',
    '    task.add_done_callback(_background_tasks.discard)',
    '',
  ));
});

test('fix-all leaves the unsafe asyncio fixes alone', async () => {
  const uri = 'file:///tmp/asyncio-fixall.py';
  const text = lines('import asyncio', 'import time', '', '', 'async def main():', '    asyncio.sleep(1)', '    input()', '');
  await client.open(uri, text);
  const actions = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll']);
  assert.deepEqual(actions, []);
});
