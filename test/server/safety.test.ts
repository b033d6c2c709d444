// Safety: over a full LSP session the server starts no process, opens no connection, starts no worker,
// evaluates nothing through `vm`, loads no code from outside the extension, and reads only its own files
// and configuration files. A preload hook (safetyHook.js) in the server process records every attempt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from './lspClient';
import { ROOT } from './helpers';

const HOOK = path.join(ROOT, 'test', 'server', 'safetyHook.js');

interface Event {
  kind: string;
  detail: string;
  stack: string;
}

const FORBIDDEN = /^(child_process|net|tls|http|https|dgram|fetch|worker_threads|vm)\./;

test('a full LSP session starts no process, opens no connection and reads nothing but its own and configuration files', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-safety-'));
  const log = path.join(dir, 'events.jsonl');
  const workspace = path.join(dir, 'workspace');
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'pyproject.toml'), '[project]\nrequires-python = ">=3.11"\n[tool.concurrency-coach]\nignore = ["PCC999"]\n');
  // Bait: files the server must never touch, one of them code that would leave a trace if run.
  fs.writeFileSync(path.join(workspace, 'secret.txt'), 'do not read');
  fs.writeFileSync(path.join(workspace, 'evil.py'), `open(${JSON.stringify(path.join(dir, 'pwned'))}, "w").write("ran")\n`);
  fs.writeFileSync(path.join(workspace, 'setup.py'), 'import os; os.system("touch pwned")\n');
  fs.writeFileSync(log, '');
  const uri = pathToFileURL(path.join(workspace, 'main.py')).toString();
  const text = [
    'import evil', 'import os, subprocess, socket, threading, time', 'lock = threading.Lock()', '',
    'async def poll():', '    time.sleep(1)  # 😀', '    subprocess.run(["ls"])', '    exec(open("setup.py").read())', '',
    'def g():', '    lock.acquire()', '    eval("1 + 1")', '    lock.release()', '',
  ].join('\n');
  const client = await LspClient.start({ nodeArgs: ['--require', HOOK], env: { ...process.env, SAFETY_LOG: log } });
  try {
    const diagnostics = await client.open(uri, text);
    assert.ok(diagnostics.length > 0, 'the session did real work');
    const changed = await client.change(uri, 2, [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: 'x = 1\n' }]);
    const after = text.replace('\n\nasync def', '\nx = 1\n\nasync def');
    const everything = { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } };
    const quick = await client.codeActions(uri, everything, changed);
    assert.ok(quick.length > 0);
    await client.codeActions(uri, everything, [], ['source.fixAll']);
    for (let line = 0; line < after.split('\n').length; line++) {
      for (const character of [0, 4, 9]) await client.hover(uri, { line, character });
    }
    await client.change(uri, 3, [{ range: { start: { line: 14, character: 0 }, end: { line: 14, character: 0 } }, text: 'cc-' }]);
    const completions = await client.request<unknown[]>('textDocument/completion', { textDocument: { uri }, position: { line: 14, character: 3 } });
    assert.ok(completions.length > 0, 'snippet completions offered');
    await client.request('workspace/executeCommand', { command: 'concurrencyCoach.showDocumentation', arguments: ['PCC101'] });
    await client.request('concurrencyCoach/status', { uri });
    await client.request('concurrencyCoach/analyzeFile', { uri: pathToFileURL(path.join(workspace, 'other.py')).toString(), text: 'import time\nasync def f():\n    time.sleep(1)\n' });
    await client.changeConfiguration({ pythonVersion: '3.13' });
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(workspace, 'pyproject.toml')).toString(), type: 2 }] });
    await client.change(uri, 4, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }]);
    await client.close(uri);
  } finally {
    await client.stop();
  }

  const events: Event[] = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  t.diagnostic(`${events.length} events recorded: ${[...new Set(events.map((e) => e.kind))].join(', ')}`);
  assert.ok(events.some((e) => e.kind.startsWith('fs.')), 'the hook was active (the server read its grammar)');
  assert.deepEqual(events.filter((e) => FORBIDDEN.test(e.kind)), [], 'no process, connection, worker or vm');
  const outside = (p: string) => !p.startsWith(ROOT + path.sep);
  assert.deepEqual(events.filter((e) => e.kind === 'require' && outside(e.detail)), [], 'no code loaded from outside the extension');
  const reads = events.filter((e) => e.kind.startsWith('fs.'));
  const allowed = (p: string) => !outside(p) || path.basename(p) === 'pyproject.toml';
  assert.deepEqual(reads.filter((e) => !allowed(e.detail) && !e.detail.startsWith('fd:')), [], 'reads only its own files and pyproject.toml');
  assert.ok(reads.some((e) => e.detail === path.join(workspace, 'pyproject.toml')), 'the workspace configuration was read');
  assert.equal(fs.existsSync(path.join(dir, 'pwned')), false, 'no user code ran');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the server sources import nothing that runs processes, opens connections or evaluates code', () => {
  const forbidden = /from '(node:)?(child_process|net|tls|http|https|http2|dgram|vm|worker_threads|cluster|inspector)'|require\('(node:)?(child_process|net|tls|https?|http2|dgram|vm|worker_threads|cluster|inspector)'\)|\beval\(|new Function\(/;
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'cli') walk(full); // the CLI runs outside the editor, and may use worker threads across cores
      } else if (entry.name.endsWith('.ts') && forbidden.test(fs.readFileSync(full, 'utf8'))) {
        offenders.push(path.relative(ROOT, full));
      }
    }
  };
  walk(path.join(ROOT, 'server', 'src'));
  assert.deepEqual(offenders, []);
});
