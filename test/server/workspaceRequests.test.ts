// The custom requests behind the status item and "Check Workspace".
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient } from './lspClient';
import { RULES } from '../../server/src/rules/index';
import { ANALYZE_FILE_REQUEST, STATUS_REQUEST, type StatusResult } from '../../server/src/protocol';

let client: LspClient;
before(async () => {
  client = await LspClient.start({ settings: { pythonVersion: '3.11', ignore: ['PCC1'] } });
});
after(async () => {
  await client.stop();
});

test('status reports the Python assumed, where it came from, and the rules on', async () => {
  const status = await client.request<StatusResult>(STATUS_REQUEST, { uri: 'file:///tmp/status.py' });
  const asyncioRules = RULES.filter((r) => r.code.startsWith('PCC1')).length;
  assert.deepEqual(status, {
    enabled: true, pythonVersion: '3.11', freeThreaded: false, pythonSource: 'setting',
    rulesOn: RULES.length - asyncioRules, rulesTotal: RULES.length,
  });
});

test('analyzeFile publishes diagnostics for a file that is not open, and skips open ones', async () => {
  const uri = 'file:///tmp/unopened.py';
  const text = 'import threading\nlock = threading.Lock()\ndef f():\n    lock.acquire()\n';
  const result = await client.request<{ findings: number }>(ANALYZE_FILE_REQUEST, { uri, text });
  assert.deepEqual(result, { findings: 1 });
  const published = await client.waitFor(() => client.published.get(uri)?.at(-1));
  assert.deepEqual(published.diagnostics.map((d) => [d.code, d.range.start.line]), [['PCC301', 3]]);
  await client.open('file:///tmp/opened.py', text);
  assert.deepEqual(await client.request(ANALYZE_FILE_REQUEST, { uri: 'file:///tmp/opened.py', text }), { findings: -1 });
});
