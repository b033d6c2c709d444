// The fuzz through the real server over stdio: random edit sessions as didChange notifications, with
// hovers, completions and code actions in between. Every published version's diagnostics equal a full
// analysis of that version's text, versions never go back, every request is answered, and every edit a
// code action carries applies to the text of the version it names.
// Reproduce a failure with FUZZ_SEEDS=<seed>; FUZZ_LSP_STEPS=<n> sets the number of didChange steps per seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextDocumentEdit, TextEdit } from 'vscode-languageserver-types';
import { toDiagnostic } from '../../server/src/features/diagnostics';
import { analyzeText } from '../../server/src/engine';
import { applyEdits } from '../../server/src/text/applyEdits';
import { parserText } from '../../server/src/documents';
import { LspClient } from './lspClient';
import { Random, seedsFromEnv } from './prng';
import { EditSession, SEED_TEXTS } from './fuzzEdits';
import { configFor, getParser } from './helpers';

const SEEDS = seedsFromEnv([31, 32]);
const STEPS = Number(process.env.FUZZ_LSP_STEPS ?? 1500);

for (const seed of SEEDS) {
  test(`LSP fuzz seed ${seed}: ${STEPS} didChange steps through the real server`, async (t) => {
    const parser = await getParser();
    const client = await LspClient.start();
    const started = Date.now();
    const rng = new Random(seed);
    const uri = `file:///tmp/fuzz-lsp/seed${seed}.py`;
    const first = rng.pick(SEED_TEXTS);
    const expected = TextDocument.create(uri, 'python', 1, first);
    const session = new EditSession(rng, expected);
    const texts = new Map<number, string>([[1, first]]);
    const requests: Promise<unknown>[] = [];
    const actionRequests: Promise<CodeAction[]>[] = [];
    let edits = 0;
    try {
      await client.open(uri, first);
      let version = 1;
      for (let step = 0; step < STEPS; step++) {
        const changes = session.next();
        edits += changes.length;
        texts.set(++version, expected.getText());
        await client.change(uri, version, changes, false);
        if (rng.chance(0.05)) {
          const position = expected.positionAt(rng.int(0, expected.getText().length));
          requests.push(client.hover(uri, position));
          requests.push(client.request('textDocument/completion', { textDocument: { uri }, position }));
        }
        if (rng.chance(0.03)) {
          const range = { start: { line: 0, character: 0 }, end: { line: expected.lineCount, character: 0 } };
          actionRequests.push(client.codeActions(uri, range, [], rng.chance(0.5) ? ['source.fixAll'] : undefined));
        }
        if (rng.chance(0.1)) {
          await client.diagnosticsFor(uri, version);
          const tree = parser.parse(parserText(texts.get(version)!));
          if (tree && !tree.rootNode.hasError) session.markClean(); // where "undo" steps return to
          tree?.delete();
        }
      }
      await client.waitFor(() => client.published.get(uri)?.find((p) => p.version === version), 30_000, `the last version v${version}`);
      const settled = await Promise.allSettled([...requests, ...actionRequests]);
      const rejected = settled.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason));
      assert.deepEqual(rejected, [], 'every request answered');

      const published = client.published.get(uri)!;
      let previous = 0;
      for (const p of published) {
        const v = p.version!;
        assert.ok(v >= previous, `v${v} published after v${previous}`);
        previous = v;
        const want = JSON.parse(JSON.stringify(analyzeText(parser, texts.get(v)!, configFor()).findings.map((f) => toDiagnostic(uri, f)))); // as sent
        assert.deepEqual(p.diagnostics, want, `seed ${seed}: diagnostics for v${v} equal a full analysis of its text (reproduce with FUZZ_SEEDS=${seed})`);
      }
      let withEdits = 0;
      for (const actions of await Promise.all(actionRequests)) {
        for (const action of actions) {
          for (const change of (action.edit?.documentChanges ?? []) as TextDocumentEdit[]) {
            withEdits++;
            const text = texts.get(change.textDocument.version!);
            assert.ok(text !== undefined, `an edit for unknown version ${change.textDocument.version}`);
            assert.doesNotThrow(() => applyEdits(text, change.edits as TextEdit[]));
          }
        }
      }
      const trouble = client.logs.filter((l) => /failed|Could not|Error/.test(l));
      assert.deepEqual(trouble, [], 'nothing failed in the server');
      t.diagnostic(`LSP fuzz seed ${seed}: ${edits} edits in ${STEPS} steps, ${published.length} versions published, ${requests.length + actionRequests.length} requests (${withEdits} code action edits checked), ${Date.now() - started} ms`);
    } finally {
      await client.stop();
    }
  });
}
