// Crash recovery: the client's restart policy (restart, with a limit, and say so), and the server-side
// hook that lets editor tests kill the server on purpose (CONCURRENCY_COACH_TEST_CRASH).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestartPolicy } from '../../client/src/restartPolicy';
import { LspClient } from './lspClient';

test('the client restarts a crashed server 4 times within 3 minutes, then stops and says how to restart it', () => {
  let now = 0;
  const policy = new RestartPolicy(4, 180_000, () => now);
  for (let i = 1; i <= 4; i++) {
    now += 10_000;
    const verdict = policy.onCrash();
    assert.equal(verdict.restart, true);
    assert.match(verdict.message, new RegExp(`stopped unexpectedly and was restarted \\(restart ${i} of 4 within 3 minutes\\)`));
  }
  now += 10_000;
  const last = policy.onCrash();
  assert.equal(last.restart, false);
  assert.match(last.message, /stopped unexpectedly 5 times within 3 minutes and will not be restarted\. Run "Python Concurrency: Restart Server"/);
  // After giving up, a manual restart that crashes again is restarted: counting starts afresh.
  now += 1_000;
  assert.equal(policy.onCrash().restart, true);
});

test('crashes older than the window do not count', () => {
  let now = 0;
  const policy = new RestartPolicy(4, 180_000, () => now);
  for (let i = 0; i < 20; i++) {
    now += 61_000; // one crash a minute: never 5 within 3 minutes
    assert.equal(policy.onCrash().restart, true, `crash ${i + 1}`);
  }
});

test('with CONCURRENCY_COACH_TEST_CRASH set, the server exits with code 1 when an edit inserts the marker, and only then', async () => {
  const marker = 'crash-the-server-now';
  const client = await LspClient.start({ env: { ...process.env, CONCURRENCY_COACH_TEST_CRASH: marker } });
  const exited = new Promise<number | null>((resolve) => client.process.once('exit', (code) => resolve(code)));
  try {
    const uri = 'file:///tmp/crash/a.py';
    await client.open(uri, `# ${marker} in the opened text does nothing\nimport time\n`);
    await client.change(uri, 2, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'x = 1\n' }]);
    assert.equal(client.process.exitCode, null, 'still running');
    await client.change(uri, 3, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: marker }], false);
    assert.equal(await exited, 1);
  } finally {
    await client.stop();
  }
});

test('without the variable, the marker is just text', async () => {
  const env = { ...process.env };
  delete env.CONCURRENCY_COACH_TEST_CRASH;
  const client = await LspClient.start({ env });
  try {
    const uri = 'file:///tmp/crash/b.py';
    await client.open(uri, 'x = 1\n');
    await client.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'crash-the-server-now' }]);
    assert.equal(client.process.exitCode, null);
  } finally {
    await client.stop();
  }
});
