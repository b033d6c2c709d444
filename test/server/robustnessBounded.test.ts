// Bounded work: files over maxFileSize are skipped with one message; a throwing rule is logged once with
// its code and the file while the other rules still report; a long request can be cancelled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import type { CodeAction } from 'vscode-languageserver-types';
import { analyzeTree } from '../../server/src/analysis';
import { mirrorOf } from '../../server/src/trees';
import { defineRule } from '../../server/src/rules/rule';
import { RULES } from '../../server/src/rules/index';
import { configFor, getParser } from './helpers';
import { LspClient } from './lspClient';

const FLAGGED = 'import asyncio, threading, time\nlock = threading.Lock()\n\nasync def poll():\n    time.sleep(1)\n    await asyncio.sleep(0)\n\ndef g():\n    lock.acquire()\n    print(1)\n    lock.release()\n';

test('a file over concurrencyCoach.maxFileSize is skipped with one message, not half-analysed, not once per keystroke', async () => {
  const client = await LspClient.start({ settings: { maxFileSize: 1000 } });
  try {
    const uri = 'file:///tmp/bounded/big.py';
    const big = FLAGGED + '#'.repeat(1000) + '\n';
    assert.deepEqual(await client.open(uri, big), [], 'nothing published from a partial analysis');
    for (let v = 2; v <= 12; v++) {
      assert.deepEqual(await client.change(uri, v, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '#' }]), []);
    }
    const line = { start: { line: 4, character: 4 }, end: { line: 4, character: 17 } };
    assert.deepEqual(await client.codeActions(uri, line), []);
    assert.deepEqual(await client.codeActions(uri, line, [], ['source.fixAll']), [], 'fix-all skips it too');
    assert.equal(await client.hover(uri, line.start), null);
    const skipped = client.messages.filter((m) => m.message.includes('Skipped'));
    assert.equal(skipped.length, 1, JSON.stringify(client.messages));
    assert.equal(skipped[0].message, `Python Concurrency Coach: Skipped ${uri}: it has more than 1000 characters (the concurrencyCoach.maxFileSize setting), so it is not analysed.`);
    // Under the limit again: analysed as usual.
    const small = await client.change(uri, 13, [{ text: FLAGGED }]);
    assert.deepEqual(small!.map((d) => d.code).sort(), ['PCC101', 'PCC301']);
    // Another big file gets its own message.
    await client.open('file:///tmp/bounded/other.py', big);
    assert.equal(client.messages.filter((m) => m.message.includes('Skipped')).length, 2);
  } finally {
    await client.stop();
  }
});

test('the default limit is 2,000,000 characters', async () => {
  const client = await LspClient.start();
  try {
    const uri = 'file:///tmp/bounded/huge.py';
    const text = FLAGGED + '#' + 'x'.repeat(2_000_000 - FLAGGED.length) + '\n';
    assert.deepEqual(await client.open(uri, text), []);
    await client.waitFor(() => client.messages.find((m) => m.message.includes('more than 2000000 characters')), 5000, 'the message');
    const fits = FLAGGED + '#' + 'x'.repeat(2_000_000 - FLAGGED.length - 2) + '\n';
    assert.equal(fits.length, 2_000_000);
    assert.equal((await client.change(uri, 2, [{ text: fits }]))!.length, 2);
  } finally {
    await client.stop();
  }
});

const THROWING = defineRule({
  code: 'PCC990', name: 'always-throws', severity: 'warning', summary: 'Throws.', fixable: false, docs: 'Throws.',
  check() {
    throw new Error('this rule is broken');
  },
});

test('in-process: a rule that throws is reported as a failure with its code; the other rules still report', async () => {
  const parser = await getParser();
  const tree = parser.parse(FLAGGED)!;
  try {
    const config = configFor();
    config.selection.severity.set('PCC990', 'warning');
    const rules = [RULES.find((r) => r.code === 'PCC101')!, THROWING, RULES.find((r) => r.code === 'PCC301')!];
    const result = analyzeTree(FLAGGED, mirrorOf(tree, FLAGGED), config.selection, config.options, rules);
    assert.deepEqual(result.findings.map((f) => f.code), ['PCC101', 'PCC301']);
    assert.equal(result.failures.length, 1);
    assert.equal(result.failures[0].code, 'PCC990');
    assert.match(String(result.failures[0].error), /this rule is broken/);
  } finally {
    tree.delete();
  }
});

test('over LSP: a throwing rule is logged once per file with its code and the file; the other rules still publish', async () => {
  const client = await LspClient.start({ env: { ...process.env, CONCURRENCY_COACH_TEST_FAIL_RULE: 'PCC101' } });
  try {
    const a = 'file:///tmp/bounded/fault-a.py';
    const b = 'file:///tmp/bounded/fault-b.py';
    assert.deepEqual((await client.open(a, FLAGGED)).map((d) => d.code), ['PCC301'], 'PCC301 still reported, PCC101 skipped');
    for (let v = 2; v <= 6; v++) await client.change(a, v, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]);
    await client.open(b, FLAGGED);
    const logged = (uri: string) => client.logs.filter((l) => l.startsWith(`Rule PCC101 failed on ${uri} and was skipped`));
    assert.equal(logged(a).length, 1, 'once for a, despite five edits');
    assert.equal(logged(b).length, 1, 'once for b');
    assert.match(logged(a)[0], /PCC101 failed on purpose/);
    assert.equal(client.messages.length, 0, 'no pop-up for a rule failure, only the log');
  } finally {
    await client.stop();
  }
});

test('$/cancelRequest stops a long fix-all: the answer is empty or RequestCancelled, and comes early', async () => {
  const pairs = Array.from({ length: 120 }, (_, i) => `def f${i}():\n    lock.acquire()\n    print(${i})\n    lock.release()\n`).join('\n');
  const text = `import threading\nlock = threading.Lock()\n\n${pairs}`;
  const client = await LspClient.start();
  try {
    const uri = 'file:///tmp/bounded/many-fixes.py';
    await client.open(uri, text);
    const params = { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } };
    let started = Date.now();
    const full = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', params);
    const fullMs = Date.now() - started;
    assert.equal(full.length, 1, 'uncancelled, fix-all applies all 120 fixes');
    const source = new CancellationTokenSource();
    started = Date.now();
    const request = client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', params, source.token);
    setTimeout(() => source.cancel(), Math.min(50, fullMs / 10));
    const answer = await request.then((r) => r, (e: unknown) => e);
    const cancelledMs = Date.now() - started;
    if (answer instanceof ResponseError) assert.equal(answer.code, -32800); // LSPErrorCodes.RequestCancelled
    else assert.deepEqual(answer, []);
    assert.ok(cancelledMs < fullMs / 2, `cancelled after ${cancelledMs} ms; the whole fix-all takes ${fullMs} ms`);
    // The server is still fine.
    assert.equal((await client.codeActions(uri, params.range, [], ['source.fixAll'])).length, 1);
  } finally {
    await client.stop();
  }
});
