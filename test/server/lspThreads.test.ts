// Thread rules over the real stdio server: diagnostics, related information and quick fixes.
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

/** The quick fix of the diagnostic (not the "Disable ..." and "Show documentation ..." actions). */
async function quickFix(uri: string, d: Diagnostic): Promise<CodeAction> {
  const actions = await client.codeActions(uri, d.range, [d]);
  const fix = actions.find((a) => a.edit && !a.title.startsWith('Disable '));
  assert.ok(fix, `a quick fix for ${d.code}: ${actions.map((a) => a.title).join(', ')}`);
  return fix;
}

function doc(lines: string[]): string {
  return lines.join('\n');
}

test('PCC202: target=f(a, k=v) becomes target=f, args=(a,), kwargs={...} (unsafe)', async () => {
  const uri = 'file:///tmp/threads-202.py';
  const text = doc([
    'import threading as th',
    '',
    '',
    'def work(n, scale=1):',
    '    print(n * scale)',
    '',
    '',
    '# 线程 😀',
    't = th.Thread(target=work(3, scale=2), daemon=True)',
    't.start()',
    't.join()',
    '',
  ]);
  const [d] = only(await client.open(uri, text), 'PCC202');
  assert.equal(d.message, '`work(...)` runs now, in the calling thread: the Thread gets its return value instead of `work`');
  assert.equal(d.severity, 1);
  assert.deepEqual(d.range, { start: { line: 8, character: 21 }, end: { line: 8, character: 37 } });
  const fix = await quickFix(uri, d);
  assert.equal(fix.title, 'Pass `work` and its arguments separately (unsafe)');
  assert.equal(fix.isPreferred, false);
  assert.equal(applyWorkspaceEdit(text, uri, fix.edit),
    text.replace('target=work(3, scale=2)', 'target=work, args=(3,), kwargs={"scale": 2}'));
});

test('PCC202: submit(f(x)) becomes submit(f, x)', async () => {
  const uri = 'file:///tmp/threads-202b.py';
  const text = doc([
    'from concurrent.futures import ThreadPoolExecutor',
    '',
    '',
    'def work(n):',
    '    return None',
    '',
    '',
    'with ThreadPoolExecutor() as ex:',
    '    ex.submit(work(1)).result()',
    '',
  ]);
  const [d] = only(await client.open(uri, text), 'PCC202');
  const fix = await quickFix(uri, d);
  assert.equal(applyWorkspaceEdit(text, uri, fix.edit), text.replace('ex.submit(work(1))', 'ex.submit(work, 1)'));
});

test('PCC203: args=(x) gets its trailing comma', async () => {
  const uri = 'file:///tmp/threads-203.py';
  const text = doc([
    'from threading import Thread as T',
    '',
    '',
    'def greet(name):',
    '    print(name)',
    '',
    '',
    'def main(path):',
    '    # é 😀',
    '    t = T(target=greet, args=(path))',
    '    t.start()',
    '    t.join()',
    '',
  ]);
  const [d] = only(await client.open(uri, text), 'PCC203');
  assert.equal(d.message, '`(path)` is not a tuple, the parentheses only group: the Thread unpacks `path` as the whole argument list');
  const fix = await quickFix(uri, d);
  assert.equal(fix.title, 'Add the trailing comma (unsafe)');
  assert.equal(applyWorkspaceEdit(text, uri, fix.edit), text.replace('args=(path)', 'args=(path,)'));
});

test('PCC204: .run() becomes .start() (unsafe)', async () => {
  const uri = 'file:///tmp/threads-204.py';
  const text = doc([
    'import threading',
    '',
    '',
    'class Owner:',
    '    def __init__(self):',
    '        self.worker = threading.Thread(target=print)',
    '',
    '    def go(self):',
    '        self.worker.run()  # 😀',
    '',
  ]);
  const [d] = only(await client.open(uri, text), 'PCC204');
  assert.equal(d.message, "`self.worker.run()` runs the Thread's work here, in the caller; `start()` runs it in a new thread");
  assert.equal(d.severity, 2);
  const fix = await quickFix(uri, d);
  assert.equal(fix.title, 'Replace `.run()` with `.start()` (unsafe)');
  assert.equal(applyWorkspaceEdit(text, uri, fix.edit), text.replace('self.worker.run()', 'self.worker.start()'));
});

test('PCC205: the second start() points back to the first', async () => {
  const uri = 'file:///tmp/threads-205.py';
  const text = doc([
    'import threading',
    '',
    't = threading.Thread(target=print)',
    't.start()',
    't.join()',
    't.start()',
    '',
  ]);
  const [d] = only(await client.open(uri, text), 'PCC205');
  assert.equal(d.message, 'Thread `t` is started a second time: `start()` raises RuntimeError on a worker that was already started');
  assert.equal(d.range.start.line, 5);
  assert.equal(d.relatedInformation?.[0].location.range.start.line, 3);
  assert.equal(d.relatedInformation?.[0].message, 'first started here');
});

test('PCC206: Thread(f) becomes Thread(target=f) (safe, preferred)', async () => {
  const uri = 'file:///tmp/threads-206.py';
  const text = doc([
    'import threading',
    '',
    '',
    'def work():',
    '    pass',
    '',
    '',
    '# 😀 ñ',
    't = threading.Thread(work, daemon=True)',
    '',
  ]);
  const [d] = only(await client.open(uri, text), 'PCC206');
  assert.equal(d.message, '`work` is passed as `group`, the first parameter of Thread, not as `target`');
  const fix = await quickFix(uri, d);
  assert.equal(fix.title, 'Pass `work` as `target=`');
  assert.equal(fix.isPreferred, true);
  assert.equal(applyWorkspaceEdit(text, uri, fix.edit), text.replace('Thread(work,', 'Thread(target=work,'));
});

test('PCC207: ThreadPoolExecutor becomes ProcessPoolExecutor with its import (unsafe)', async () => {
  const uri = 'file:///tmp/threads-207.py';
  const text = doc([
    'import concurrent.futures as cf',
    '',
    '',
    'def crunch(n):',
    '    total = 0',
    '    for i in range(n):',
    '        total += i * i',
    '    return total',
    '',
    '',
    'def main():',
    '    with cf.ThreadPoolExecutor() as pool:',
    '        return list(pool.map(crunch, range(8)))',
    '',
  ]);
  const [d] = only(await client.open(uri, text), 'PCC207');
  assert.equal(d.message, '`crunch` is pure-Python computation: in threads it runs one at a time under the GIL and does not speed up');
  assert.equal(d.severity, 3);
  const fix = await quickFix(uri, d);
  assert.equal(fix.title, 'Use `ProcessPoolExecutor` (unsafe)');
  assert.equal(applyWorkspaceEdit(text, uri, fix.edit), text.replace('cf.ThreadPoolExecutor()', 'cf.ProcessPoolExecutor()'));
});

test('PCC207: from-imported executor: the fix adds the import once', async () => {
  const uri = 'file:///tmp/threads-207b.py';
  const text = doc([
    'from concurrent.futures import ThreadPoolExecutor as Pool',
    '',
    '',
    'def crunch(n):',
    '    return sum(i * i for i in range(n))',
    '',
    '',
    'def main():',
    '    with Pool() as pool:',
    '        return list(pool.map(crunch, range(8)))',
    '',
  ]);
  const [d] = only(await client.open(uri, text), 'PCC207');
  const fix = await quickFix(uri, d);
  assert.equal(applyWorkspaceEdit(text, uri, fix.edit), text
    .replace('as Pool\n', 'as Pool\nfrom concurrent.futures import ProcessPoolExecutor\n')
    .replace('with Pool()', 'with ProcessPoolExecutor()'));
});

test('PCC207: quiet when the settings say the Python is a free-threaded 3.13+ build', async () => {
  const free = await LspClient.start({ settings: { pythonVersion: '3.13', freeThreaded: true } });
  try {
    const uri = 'file:///tmp/threads-207c.py';
    const text = doc([
      'from concurrent.futures import ThreadPoolExecutor',
      '',
      '',
      'def crunch(n):',
      '    return sum(i * i for i in range(n))',
      '',
      '',
      'def main():',
      '    with ThreadPoolExecutor() as pool:',
      '        return list(pool.map(crunch, range(8)))',
      '',
    ]);
    assert.equal(only(await client.open(uri, text), 'PCC207').length, 1, 'the default build flags it');
    assert.deepEqual(only(await free.open(uri, text), 'PCC207'), []);
  } finally {
    await free.stop();
  }
});

test('PCC208: the update is wrapped in `with lock:` (unsafe), comments kept', async () => {
  const uri = 'file:///tmp/threads-208.py';
  const text = doc([
    'import threading',
    '',
    'hits = {"n": 0}',
    'guard = threading.Lock()',
    '',
    '',
    'def work():',
    '    # 😀 计数',
    '    hits["n"] += 1  # one more',
    '',
    '',
    'threads = [threading.Thread(target=work) for _ in range(4)]',
    '',
  ]);
  const [d] = only(await client.open(uri, text), 'PCC208');
  assert.equal(d.message, '`hits["n"] += 1` in thread function `work` updates shared `hits["n"]` without a lock: concurrent updates can be lost');
  const fix = await quickFix(uri, d);
  assert.equal(fix.title, 'Wrap in `with guard:` (unsafe)');
  assert.equal(applyWorkspaceEdit(text, uri, fix.edit),
    text.replace('    hits["n"] += 1  # one more\n', '    with guard:\n        hits["n"] += 1  # one more\n'));
});

test('PCC209: setDaemon(x) becomes the daemon assignment (safe, preferred)', async () => {
  const uri = 'file:///tmp/threads-209.py';
  const text = doc([
    'import threading',
    '',
    '# 😀',
    't = threading.Thread(target=print)',
    't.setDaemon(True)',
    't.start()',
    '',
  ]);
  const [d] = only(await client.open(uri, text), 'PCC209');
  assert.equal(d.message, '`setDaemon()` is a deprecated alias of the `daemon` attribute');
  assert.equal(d.severity, 3);
  const fix = await quickFix(uri, d);
  assert.equal(fix.title, 'Assign the `daemon` attribute');
  assert.equal(fix.isPreferred, true);
  assert.equal(applyWorkspaceEdit(text, uri, fix.edit), text.replace('t.setDaemon(True)', 't.daemon = True'));
});

test('PCC209: a from-imported alias is renamed in the import and at every use', async () => {
  const uri = 'file:///tmp/threads-209b.py';
  const text = doc([
    'from threading import currentThread',
    '',
    'print(currentThread().name)',
    'me = currentThread',
    '',
  ]);
  const [d] = only(await client.open(uri, text), 'PCC209');
  const fix = await quickFix(uri, d);
  assert.equal(applyWorkspaceEdit(text, uri, fix.edit), text.replaceAll('currentThread', 'current_thread'));
});
