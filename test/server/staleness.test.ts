// No stale results: the real server, in this process over in-memory streams, so that every message it
// writes is checked against the document version it holds at that moment. Rapid random edits race
// against publishing and against code action requests.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createConnection } from 'vscode-languageserver/node';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type Message, type MessageConnection } from 'vscode-jsonrpc/node';
import type { CodeAction, Diagnostic, PublishDiagnosticsParams, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startServer } from '../../server/src/server';
import { toDiagnostic } from '../../server/src/features/diagnostics';
import { analyzeText } from '../../server/src/engine';
import { applyEdits } from '../../server/src/text/applyEdits';
import { Random, seedsFromEnv } from './prng';
import { EditSession, SEED_TEXTS } from './fuzzEdits';
import { configFor, getParser } from './helpers';

interface Published {
  params: PublishDiagnosticsParams;
  /** The version the server held when it wrote the notification. */
  serverVersion: number | undefined;
}

let client: MessageConnection;
const serverVersions = new Map<string, number>();
const published: Published[] = [];
/** Code action answers with an edit for another version than the server held when it wrote them. */
const staleAnswers: string[] = [];
let answersWithEdits = 0;
let configurationDelay = () => 0;
const closers: (() => void)[] = [];

before(async () => {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const writer = new StreamMessageWriter(toClient);
  const write = writer.write.bind(writer);
  // Everything the server writes passes here, in order: note the version it held for the document then.
  writer.write = (message: Message) => {
    const m = message as { method?: string; params?: PublishDiagnosticsParams; id?: number | string; result?: unknown };
    if (m.method === 'textDocument/publishDiagnostics' && m.params) {
      published.push({ params: m.params, serverVersion: serverVersions.get(m.params.uri) });
    } else if (m.id !== undefined && Array.isArray(m.result)) {
      for (const action of m.result as CodeAction[]) {
        for (const change of (action.edit?.documentChanges ?? []) as TextDocumentEdit[]) {
          answersWithEdits++;
          const held = serverVersions.get(change.textDocument.uri);
          if (held !== change.textDocument.version) staleAnswers.push(`"${action.title}" for v${change.textDocument.version} while the server held v${held}`);
        }
      }
    }
    return write(message);
  };
  const connection = createConnection(new StreamMessageReader(toServer), writer);
  // The version the server holds: set as each didOpen/didChange handler runs (they apply the text synchronously).
  const onOpen = connection.onDidOpenTextDocument.bind(connection);
  connection.onDidOpenTextDocument = (handler) => onOpen((params) => {
    serverVersions.set(params.textDocument.uri, params.textDocument.version);
    return handler(params);
  });
  const onChange = connection.onDidChangeTextDocument.bind(connection);
  connection.onDidChangeTextDocument = (handler) => onChange((params) => {
    serverVersions.set(params.textDocument.uri, params.textDocument.version);
    return handler(params);
  });
  const consoleMethods = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  startServer(connection);
  Object.assign(console, consoleMethods); // startServer routes console output to the client; this process keeps its own
  client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.onRequest('workspace/configuration', async (params: { items: unknown[] }) => {
    await pause(configurationDelay());
    return params.items.map(() => ({}));
  });
  client.onRequest('client/registerCapability', () => null);
  client.onNotification('window/logMessage', () => undefined);
  client.listen();
  await client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: { workspace: { configuration: true } } });
  await client.sendNotification('initialized', {});
  closers.push(() => client.dispose(), () => connection.dispose(), () => toServer.end(), () => toClient.end());
});

after(() => {
  for (const close of closers) close();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tick = () => new Promise((resolve) => setImmediate(resolve));

function expectedDiagnostics(uri: string, text: string, parser: Awaited<ReturnType<typeof getParser>>): Diagnostic[] {
  return analyzeText(parser, text, configFor()).findings.map((f) => toDiagnostic(uri, f));
}

async function waitForPublish(uri: string, version: number, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!published.some((p) => p.params.uri === uri && p.params.version === version)) {
    if (Date.now() > deadline) throw new Error(`no diagnostics published for ${uri} v${version}`);
    await pause(2);
  }
}

for (const seed of seedsFromEnv([11, 12])) {
  test(`seed ${seed}: rapid edits race publishing; every publish is for the version the server holds, with that version's full analysis`, async (t) => {
    const parser = await getParser();
    const uri = `file:///tmp/staleness/seed${seed}.py`;
    const rng = new Random(seed);
    const first = rng.pick(SEED_TEXTS.filter((s) => s.includes('sleep')));
    const expected = TextDocument.create(uri, 'python', 1, first);
    const session = new EditSession(rng, expected);
    const texts = new Map<number, string>([[1, first]]);
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: first } });
    const requests: { id: Promise<CodeAction[]>; sentAt: number; fixAll: boolean }[] = [];
    configurationDelay = () => rng.int(0, 4);
    const staleBefore = staleAnswers.length;
    const editsBefore = answersWithEdits;
    let version = 1;
    for (let i = 0; i < 400; i++) {
      const contentChanges = session.next();
      version++;
      texts.set(version, expected.getText());
      await client.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
      if (rng.chance(0.15)) {
        // A code action request right behind an edit, often overtaken by the next one.
        const fixAll = rng.chance(0.4);
        const range = { start: { line: 0, character: 0 }, end: { line: expected.lineCount, character: 0 } };
        requests.push({ id: client.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], only: fixAll ? ['source.fixAll'] : undefined } }), sentAt: version, fixAll });
      }
      if (rng.chance(0.1)) {
        // The configuration is asked for again, and answered late: analyses wait while edits arrive.
        await client.sendNotification('workspace/didChangeConfiguration', { settings: null });
      }
      const wait = rng.weighted({ none: 6, tick: 2, ms: 1, publish: 1 });
      if (wait === 'tick') await tick();
      else if (wait === 'ms') await pause(rng.int(1, 5));
      else if (wait === 'publish') await waitForPublish(uri, version);
    }
    await waitForPublish(uri, version);
    const results = await Promise.all(requests.map((r) => r.id));

    const mine = published.filter((p) => p.params.uri === uri && p.params.version !== undefined);
    let previous = 0;
    for (const p of mine) {
      const v = p.params.version!;
      assert.equal(p.serverVersion, v, `published v${v} while the server held v${p.serverVersion}`);
      assert.ok(v >= previous, `v${v} published after v${previous}`); // the same again after a configuration change
      previous = v;
      const want = expectedDiagnostics(uri, texts.get(v)!, parser);
      assert.deepEqual(p.params.diagnostics, want, `diagnostics for v${v} equal a full analysis of its text`);
    }
    // Code actions: nothing, or edits for exactly the version the server held when it answered, which apply to that text.
    assert.deepEqual(staleAnswers.slice(staleBefore), []);
    let withEdits = 0;
    for (const actions of results) {
      for (const action of actions) {
        for (const change of (action.edit?.documentChanges ?? []) as TextDocumentEdit[]) {
          withEdits++;
          assert.doesNotThrow(() => applyEdits(texts.get(change.textDocument.version!)!, change.edits as TextEdit[]));
        }
      }
    }
    assert.equal(withEdits, answersWithEdits - editsBefore);
    configurationDelay = () => 0;
    t.diagnostic(`seed ${seed}: ${version - 1} versions sent, ${new Set(mine.map((p) => p.params.version)).size} of them published, ${requests.length} code action requests (${withEdits} actions with edits, ${results.filter((r) => r.length === 0).length} empty answers)`);
    const distinct = new Set(mine.map((p) => p.params.version)).size;
    assert.ok(distinct >= 2 && distinct < version, `some versions were overtaken before publishing (${distinct} of ${version} published)`);
  });
}

test('a code action request overtaken by an edit answers nothing rather than an edit for the old text', async () => {
  const uri = 'file:///tmp/staleness/overtaken.py';
  const text = 'import threading\nlock = threading.Lock()\n\ndef g():\n    lock.acquire()\n    print(1)\n    lock.release()\n';
  await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
  await waitForPublish(uri, 1);
  const range = { start: { line: 4, character: 4 }, end: { line: 4, character: 18 } };
  // Both messages leave in one go: the request is answered after the edit arrived.
  const request = client.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], only: ['source.fixAll'] } });
  void client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# 😀\n' }] });
  const actions = await request;
  for (const action of actions) {
    const change = action.edit!.documentChanges![0] as TextDocumentEdit;
    assert.equal(change.textDocument.version, 2, 'an edit, if any, is for the version the server holds');
  }
  assert.deepEqual(staleAnswers, []);
});

test('a workspace check of a file that an editor opens meanwhile publishes nothing for the file', async () => {
  configurationDelay = () => 20; // the first configuration request for this file is answered late
  try {
    const uri = 'file:///tmp/staleness/opened-meanwhile.py';
    const request = client.sendRequest<{ findings: number }>('concurrencyCoach/analyzeFile', { uri, text: 'import time\n\nasync def f():\n    time.sleep(1)\n' });
    void client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: 'x = 1\n' } });
    assert.equal((await request).findings, -1, 'skipped: the editor owns the file now');
    await waitForPublish(uri, 1);
    await pause(50);
    const forFile = published.filter((p) => p.params.uri === uri);
    assert.deepEqual(forFile.map((p) => [p.params.version, p.params.diagnostics.length]), [[1, 0]], 'only the open version\'s (empty) diagnostics');
  } finally {
    configurationDelay = () => 0;
  }
});
