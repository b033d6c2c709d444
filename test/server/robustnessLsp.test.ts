// Any input over LSP: the real server answers every request (diagnostics, code actions, fix-all, hover,
// completion, the custom requests) for hostile documents, logs no failure, and stays up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { ResponseError } from 'vscode-jsonrpc/node';
import { LspClient } from './lspClient';
import { Random } from './prng';
import { inputs } from './robustnessInputs';

let client: LspClient;
before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

/** Log lines that mean something went wrong inside the server. */
const TROUBLE = /failed|Could not|Error|exception|\n\s+at /i;

inputs().forEach((input, index) => {
  test(`over LSP: ${input.name}`, async (t) => {
    const started = Date.now();
    const uri = `file:///tmp/robust-lsp/input${index}.py`;
    const wait = input.big ? 60_000 : 10_000;
    const logsBefore = client.logs.length;
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: input.text } });
    let diagnostics: Diagnostic[] = await client.waitFor(() => client.published.get(uri)?.find((p) => p.version === 1)?.diagnostics, wait, `diagnostics for ${input.name}`);
    const lines = input.text.split(/\r\n|\r|\n/);
    const rng = new Random(index + 1);
    const requests: Promise<unknown>[] = [];
    let version = 1;
    for (let i = 0; i < (input.big ? 1 : 4); i++) {
      const line = rng.int(0, lines.length - 1);
      const text = rng.pick(['x', '(', '😀', '\n', '\r\n', '\t', 'time.sleep(1)', '"', '']);
      await client.change(uri, ++version, [{ range: { start: { line, character: rng.int(0, 5) }, end: { line, character: rng.int(0, 10) } }, text }], false);
      diagnostics = await client.waitFor(() => client.published.get(uri)?.find((p) => p.version === version)?.diagnostics, wait, `diagnostics for ${input.name} v${version}`);
      const everything = { start: { line: 0, character: 0 }, end: { line: lines.length + 1, character: 0 } };
      requests.push(client.codeActions(uri, everything, diagnostics));
      requests.push(client.codeActions(uri, everything, [], ['source.fixAll']));
      for (let k = 0; k < (input.big ? 20 : 10); k++) {
        const position = { line: rng.int(0, lines.length), character: rng.int(0, 120) };
        requests.push(client.hover(uri, position));
        requests.push(client.request('textDocument/completion', { textDocument: { uri }, position }));
      }
      for (const d of diagnostics.slice(0, 5)) {
        requests.push(client.hover(uri, d.range.start));
        requests.push(client.codeActions(uri, d.range, [d]));
      }
    }
    requests.push(client.request('concurrencyCoach/analyzeFile', { uri: `${uri}.copy.py`, text: input.text }));
    requests.push(client.request('concurrencyCoach/status', { uri }));
    const settled = await Promise.allSettled(requests);
    const rejected = settled.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason));
    assert.deepEqual(rejected, [], `${input.name}: every request answered`);
    await client.close(uri);
    assert.equal(client.process.exitCode, null, 'the server is still running');
    const trouble = client.logs.slice(logsBefore).filter((l) => TROUBLE.test(l));
    assert.deepEqual(trouble, [], `${input.name}: nothing failed in the server`);
    t.diagnostic(`${input.name}: ${requests.length} requests, ${diagnostics.length} diagnostics, ${Date.now() - started} ms`);
  });
});

test('a client without window/showDocument: "Show documentation" says where the page is instead of failing', async () => {
  const bare = await LspClient.start();
  try {
    bare.connection.onRequest('window/showDocument', () => {
      throw new ResponseError(-32601, 'Unhandled method window/showDocument');
    });
    const answer = await bare.request('workspace/executeCommand', { command: 'concurrencyCoach.showDocumentation', arguments: ['PCC101'] });
    assert.equal(answer, false);
    const shown = await bare.waitFor(() => bare.messages.find((m) => m.message.includes('documentation for PCC101')), 5000, 'the message');
    assert.match(shown.message, /the documentation for PCC101 is file:\/\/.*\/docs\/rules\/PCC101\.md$/);
  } finally {
    await bare.stop();
  }
});
