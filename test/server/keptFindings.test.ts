// The local rules' findings kept per statement across edits (server/src/incremental/) equal a full
// analysis of the same text: after seeded random typing in every fixture, and in the cases where
// a kept finding depends on another statement (an attribute's kind, a module-wide fact, an import
// to add, positions that move). Each case also checks that the kept findings were really used.
// Reproduce with KEPT_SEED=<seed>; KEPT_STEPS=<n> changes the number of steps per fixture.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { PythonDocument } from '../../server/src/documents';
import { analyzeTree, type AnalysisResult } from '../../server/src/analysis';
import { RULES } from '../../server/src/rules/index';
import type { Rule } from '../../server/src/rules/rule';
import { keptStats } from '../../server/src/incremental/findingCache';
import { Random } from './prng';
import { typingChange } from './fuzzEdits';
import { resultKey } from './fuzzHarness';
import { configFor, FIXTURES, formatFinding, getParser } from './helpers';

const SEED = Number(process.env.KEPT_SEED ?? 20261125);
const STEPS = Number(process.env.KEPT_STEPS ?? 60);

/** A document typed into, analysed with kept findings and, for comparison, without. */
class Typed {
  private version = 1;
  readonly mirror: TextDocument;
  /** One configuration for the document's life, as the server keeps it: kept findings hold for one selection. */
  private readonly config: ReturnType<typeof configFor>;

  constructor(readonly doc: PythonDocument, codes?: string[]) {
    this.mirror = TextDocument.create(doc.uri, 'python', 1, doc.text);
    this.config = configFor(codes);
  }

  static async open(text: string, codes?: string[]): Promise<Typed> {
    return new Typed(new PythonDocument('file:///kept.py', 1, text, await getParser()), codes);
  }

  edit(change: TextDocumentContentChangeEvent): void {
    this.version++;
    TextDocument.update(this.mirror, [change], this.version);
    this.doc.applyChanges([change], this.version);
  }

  /** Replaces the first occurrence of `from` (which must exist) by `to`. */
  replace(from: string, to: string): void {
    const at = this.doc.text.indexOf(from);
    assert.ok(at >= 0, `no ${JSON.stringify(from)} in the text`);
    this.edit({ range: { start: this.mirror.positionAt(at), end: this.mirror.positionAt(at + from.length) }, text: to });
  }

  analyse(keep: boolean): AnalysisResult {
    const { selection, options } = this.config;
    return analyzeTree(this.doc.text, this.doc.syntax, selection, options, RULES, true, keep);
  }

  /** The analysis with kept findings, after checking it equals a full one; `reused`: whether kept findings must have been used. */
  check(reused?: boolean): AnalysisResult {
    const before = keptStats.reused;
    const kept = this.analyse(true);
    if (reused !== undefined) assert.equal(keptStats.reused > before, reused, reused ? 'kept findings were not used' : 'kept findings were used');
    assert.equal(resultKey(kept), resultKey(this.analyse(false)), `kept findings differ from a full analysis of:\n${this.doc.text}`);
    return kept;
  }
}

const lines = (result: AnalysisResult) => result.findings.map(formatFinding);

for (const file of fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.py')).sort()) {
  test(`kept findings equal a full analysis over ${STEPS} random edits to ${file} (seed ${SEED})`, async () => {
    const typed = await Typed.open(fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
    const rng = new Random(SEED);
    typed.check();
    const before = keptStats.reused;
    for (let step = 0; step < STEPS; step++) {
      typed.edit(typingChange(rng, typed.mirror));
      typed.check();
    }
    // Most random edits land in function bodies: some analyses must have reused kept findings.
    assert.ok(keptStats.reused > before, `no analysis of ${file} reused kept findings`);
    typed.doc.dispose();
  });
}

test('findings after an edit in another function move with their statement, fix included', async () => {
  const typed = await Typed.open(
    'import time\n\n\nasync def first():\n    return 1\n\n\nasync def second():\n    s = "héllo 😀"; time.sleep(1)\n',
    ['PCC101'],
  );
  const before = lines(typed.check());
  typed.replace('return 1', 'print()\n    return 1');
  const after = lines(typed.check(true));
  assert.deepEqual(before, ['9:21-9:34 PCC101 Blocking `time.sleep()` in async function `second` stalls the event loop\n    fix (unsafe): Replace with `await asyncio.sleep(...)`']);
  assert.deepEqual(after, ['10:21-10:34 PCC101 Blocking `time.sleep()` in async function `second` stalls the event loop\n    fix (unsafe): Replace with `await asyncio.sleep(...)`']);
  const fix = typed.analyse(true).findings[0].fix!;
  assert.deepEqual(fix.edits.map((e) => [e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character, e.newText]), [
    [9, 20, 9, 30, 'await asyncio.sleep'],
    [1, 0, 1, 0, 'import asyncio\n'],
  ]);
  typed.doc.dispose();
});

test("an attribute's kind read in another method: an edit elsewhere keeps the finding, a change to the assignment drops it", async () => {
  const typed = await Typed.open(
    [
      'import socket',
      '',
      '',
      'class Client:',
      '    def __init__(self):',
      '        self.sock = socket.socket()',
      '',
      '    async def read(self):',
      '        return self.sock.recv(1024)',
      '',
      '    def other(self):',
      '        return 1',
      '',
    ].join('\n'),
    ['PCC106'],
  );
  assert.equal(typed.check().findings.length, 1);
  typed.replace('return 1', 'return 2');
  assert.equal(typed.check(true).findings.length, 1);
  // `__init__` assigns an attribute: its outline is all of it, so this edit analyses everything.
  typed.replace('socket.socket()', 'object()');
  assert.deepEqual(typed.check(false).findings, []);
  typed.doc.dispose();
});

test('a module-wide fact a local rule reads (set_start_method in a function body) is part of what kept findings depend on', async () => {
  const typed = await Typed.open(
    [
      'import multiprocessing as mp',
      '',
      '',
      'def work():',
      '    mp.Process(target=lambda: None).start()',
      '',
      '',
      'def main():',
      '    mp.set_start_method("spawn")',
      '',
    ].join('\n'),
    ['PCC402'],
  );
  assert.equal(typed.check().findings.length, 1);
  typed.replace('"spawn"', '"fork"');
  assert.deepEqual(typed.check(false).findings, []);
  // Undone: the findings kept for the text before the edit hold again.
  typed.replace('"fork"', '"spawn"');
  assert.equal(typed.check(true).findings.length, 1);
  typed.replace('mp.set_start_method("spawn")', 'mp.set_start_method("spawn")\n    print()');
  assert.equal(typed.check(true).findings.length, 1);
  typed.doc.dispose();
});

test('a docstring edit keeps the findings; a statement at module level analyses everything, and undoing it finds them again', async () => {
  const typed = await Typed.open('"""Doc."""\nimport time\n\n\nasync def f():\n    time.sleep(1)\n', ['PCC101']);
  assert.equal(typed.check().findings[0].range.start.line, 5);
  typed.replace('Doc.', 'Docs.');
  assert.equal(typed.check(true).findings[0].range.start.line, 5);
  // The docstring's lines are part of the outline (the import planner reads them): this one analyses everything.
  typed.replace('Docs."""', 'Docs.\n\nMore."""');
  assert.equal(typed.check(false).findings[0].range.start.line, 7);
  typed.replace('import time', 'import time as t');
  assert.deepEqual(typed.check(false).findings, []);
  // Undone: the outline reads as two edits ago, whose findings are kept too.
  typed.replace('import time as t', 'import time');
  assert.equal(typed.check(true).findings[0].range.start.line, 7);
  typed.doc.dispose();
});

test('a rule declared local that reports outside the statements it was given makes the analysis run whole', async () => {
  // Wrongly declared local: it reports at the first statement for every call it is given.
  const rule: Rule = {
    code: 'PCC999', name: 'test-misdeclared-local', severity: 'warning', summary: '', docs: '', fixable: false, local: true,
    check(ctx) {
      for (const { call } of ctx.module.allCalls()) ctx.report(ctx.module.root.children[0], `call ${call.text}`);
    },
  };
  const selection = { severity: new Map([['PCC999', 'warning' as const]]) };
  const { options } = configFor();
  const doc = new PythonDocument('file:///misdeclared.py', 1, 'import os\n\n\ndef f():\n    os.getcwd()\n', await getParser());
  const run = (keep: boolean) => analyzeTree(doc.text, doc.syntax, selection, options, [rule], true, keep).findings.map(formatFinding);
  assert.deepEqual(run(true), ['1:1-1:10 PCC999 call os.getcwd()']);
  doc.applyChanges([{ range: { start: { line: 4, character: 15 }, end: { line: 4, character: 15 } }, text: '\n    print()' }], 2);
  const reused = keptStats.reused;
  const kept = run(true);
  assert.equal(keptStats.reused, reused + 1, 'the edit left the outline as it was: kept findings were tried');
  assert.deepEqual(kept, run(false));
  assert.deepEqual(run(true), ['1:1-1:10 PCC999 call os.getcwd()', '1:1-1:10 PCC999 call print()']);
  doc.dispose();
});
