// What is kept per statement across edits equals what the whole module gives: the binding tables
// (semantic/unitBindings.ts vs buildBindings: same names and bindings, in the same order, for every
// scope) and the rules' required words found (syntax/words.ts vs presentWords over the text).
// Over every fixture, three stdlib modules, and a document edited step by step (reused statements
// and classes in the mirror).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { PythonDocument } from '../../server/src/documents';
import { buildBindings, type LocalBinding, type ScopeBindings } from '../../server/src/semantic/bindings';
import { collectNodes, INDEXED_TYPES } from '../../server/src/semantic/walk';
import { ModuleIndex } from '../../server/src/semantic/module';
import { methodCall } from '../../server/src/semantic/statements';
import { UnitBindings } from '../../server/src/semantic/unitBindings';
import { owningScope } from '../../server/src/semantic/scopes';
import { unitsInOrder } from '../../server/src/syntax/node';
import type { Node } from '../../server/src/trees';
import { presentWords, requiredWords } from '../../server/src/rules/requires';
import { RULES } from '../../server/src/rules/index';
import { wordsInModule } from '../../server/src/syntax/words';
import { FIXTURES, getParser } from './helpers';
import { Random } from './prng';

const SCOPES = ['function_definition', 'lambda', 'class_definition'] as const;

/** A table as plain data: names in order, each binding as its kind, name and node position. */
function plain(table: ScopeBindings | undefined): string[] {
  return [...(table ?? new Map<string, LocalBinding[]>())].map(([name, list]) => `${name}: ${list.map((b: LocalBinding) => `${b.how}@${b.node.startIndex}-${b.value?.startIndex ?? ''}`).join(' ')}`);
}

/** Types a random token at a random place near a line's start ('' deletes a character there). */
function typeToken(doc: PythonDocument, rng: Random, tokens: readonly string[], version: number): void {
  const line = rng.int(0, doc.lineStarts.length - 1);
  const at = { line, character: rng.int(0, 8) };
  const token = rng.pick(tokens);
  const end = token === '' ? { line, character: at.character + 1 } : at;
  doc.applyChanges([{ range: { start: at, end }, text: token }], version);
}

const WORDS = [...(requiredWords(RULES.filter((r) => r.requires)) ?? []), 'self', 'x', 'g'];

function assertSameWords(root: Node, text: string, label: string): void {
  assert.deepEqual([...wordsInModule(root, text, WORDS)].sort(), [...presentWords(text, WORDS)].sort(), `${label}: required words`);
}

function assertSameTables(root: Node, label: string): void {
  const nodes = collectNodes(root);
  const whole = buildBindings((type) => nodes.get(type as never) ?? []);
  const units = unitsInOrder(root);
  assert.ok(units, `${label}: the mirror root has units`);
  const perUnit = new UnitBindings(units);
  const scopes = [root, ...SCOPES.flatMap((type) => nodes.get(type) ?? [])];
  for (const scope of scopes) {
    assert.deepEqual(plain(perUnit.get(scope)), plain(whole.get(scope.id)), `${label}: scope ${scope.type} at ${scope.startIndex}`);
  }
}

/** The node index (whose lists are copied across edits for the statements an edit left) equals a fresh walk: the same nodes, in order. */
function assertSameIndex(root: Node, label: string): void {
  const kept = collectNodes(root);
  const fresh = root.descendantsByType(INDEXED_TYPES);
  for (const type of INDEXED_TYPES) assert.ok(sameNodes(kept.get(type), fresh.get(type)), `${label}: ${type} nodes`);
}

/** Assignments to attributes, kept per statement, equal those found among all the module's assignments. */
function assertSameAttributeAssignments(root: Node, text: string, label: string): void {
  const module = new ModuleIndex(text, root);
  const kept = module.attributeAssignments().map(({ assign, left, key }) => ({ assign, left, key }));
  const fresh = module.of('assignment').flatMap((assign) => {
    const left = assign.childForFieldName('left');
    return left?.type === 'attribute' ? [{ assign, left, key: left.text.replace(/\s+/g, '') }] : [];
  });
  assert.equal(kept.length, fresh.length, `${label}: attribute assignments`);
  kept.forEach((k, i) => assert.ok(k.assign === fresh[i].assign && k.left === fresh[i].left && k.key === fresh[i].key, `${label}: attribute assignment ${i}`));
}

function sameNodes(a: Node[] | undefined, b: Node[] | undefined): boolean {
  return !!a && !!b && a.length === b.length && a.every((n, i) => n === b[i]);
}

/** The owning scope by a walk up the parents, nothing kept. */
function freshScope(node: Node): Node {
  let child = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if ((SCOPES as readonly string[]).includes(parent.type) && parent.childForFieldName('body') === child) return parent;
  }
  return child;
}

/** Owning scopes kept per statement (also the module's, which is new after every edit) equal a fresh walk, for every node. */
function assertSameScopes(root: Node, label: string): void {
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (owningScope(node) !== freshScope(node)) assert.fail(`${label}: scope of ${node.type} at ${node.startIndex}`);
    for (const child of node.children) stack.push(child);
  }
}

function stdlibTexts(): { name: string; text: string }[] {
  try {
    const stdlib = execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
    return ['threading.py', 'asyncio/base_events.py', 'multiprocessing/pool.py'].map((part) => ({ name: part, text: fs.readFileSync(path.join(stdlib, part), 'utf8') }));
  } catch {
    return []; // no python3: the fixtures alone
  }
}

test('per-statement binding tables and required words equal the whole module\'s on every fixture and three stdlib modules', async () => {
  const parser = await getParser();
  const fixtures = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.py')).sort();
  const all = [...fixtures.map((f) => ({ name: f, text: fs.readFileSync(path.join(FIXTURES, f), 'utf8') })), ...stdlibTexts()];
  for (const { name, text } of all) {
    const doc = new PythonDocument(`file:///${name}`, 1, text, parser);
    assertSameTables(doc.syntax, name);
    assertSameWords(doc.syntax, doc.text, name);
    doc.dispose();
  }
});

test('per-statement binding tables and required words stay equal to the whole module\'s while a document is edited', async () => {
  const parser = await getParser();
  const text = stdlibTexts()[0]?.text ?? fs.readFileSync(path.join(FIXTURES, 'PCC208.py'), 'utf8');
  const doc = new PythonDocument('file:///edited.py', 1, text, parser);
  const rng = new Random(20261125);
  const tokens = ['x', 'time', ' threading ', ' = 1\n', 'global g\n    ', 'for i in y: pass\n', '\n', 'def f(a): pass\n', 'lambda q: q', 'self.q = 1\n', 'a . b = c\n', '(', ''];
  try {
    for (let step = 0; step < 60; step++) {
      typeToken(doc, rng, tokens, step + 2);
      assertSameIndex(doc.syntax, `step ${step}`);
      assertSameScopes(doc.syntax, `step ${step}`);
      assertSameAttributeAssignments(doc.syntax, doc.text, `step ${step}`);
      assertSameTables(doc.syntax, `step ${step}`);
      assertSameWords(doc.syntax, doc.text, `step ${step}`);
    }
  } finally {
    doc.dispose();
  }
});

test('required words are found wherever a statement puts them: top level, class header, class body, decorators, comments', async () => {
  const parser = await getParser();
  const templates = [
    'W = 1\n', 'W()\n', 'x = 1; W = 2\n', 'class A(W):\n    pass\n', '@W\nclass A:\n    pass\n',
    'class A:\n    def f(self):\n        return W\n', 'class A:\n    x = 1\n    # W\n', 'def f():\n    W()\n',
    'if x:\n    W\n', 'Wx = 1\n', 'class A:\n    pass\n# W\n', '"W"\n',
  ];
  for (const word of ['time', 'threading', 'async', 'preexec_fn']) {
    for (const template of templates) {
      const text = `import os\n${template.replace('W', word)}y = 2\n`;
      const doc = new PythonDocument('file:///words.py', 1, text, parser);
      assertSameWords(doc.syntax, text, JSON.stringify(text));
      assert.equal(wordsInModule(doc.syntax, text, [word]).has(word), !template.startsWith('Wx'), JSON.stringify(text));
      doc.dispose();
    }
  }
});

/** Every name and attribute chain of the module with what it resolves to, and every call's `methodCall`, in document order. */
function resolutions(root: Node, text: string): string[] {
  const module = new ModuleIndex(text, root);
  const found: string[] = [];
  // First, so that the calls kept from the last analysis answer, not resolutions made here.
  const calls = module.allCalls();
  const withCallee = module.of('call').filter((call) => call.childForFieldName('function'));
  assert.ok(sameNodes(calls.map((c) => c.call), withCallee), 'allCalls holds the calls of this tree');
  for (const { call, callee, qualified } of calls) {
    assert.equal(callee, call.childForFieldName('function'));
    found.push(`allCalls@${call.startIndex}: ${qualified ?? '-'}`);
  }
  for (const node of root.descendantsOfType(['identifier', 'attribute'])) {
    if (node) found.push(`${node.type}@${node.startIndex}: ${module.resolve(node) ?? '-'}`);
  }
  for (const call of module.of('call')) {
    const m = methodCall(call);
    found.push(`call@${call.startIndex}: ${m ? `${m.object.startIndex}-${m.object.endIndex}.${m.method}` : '-'}`);
  }
  return found;
}

test('names resolved across edits (kept per node while the name is bound the same way), kept calls and kept method calls equal fresh ones', async () => {
  const parser = await getParser();
  const text = `import time as t\nfrom time import sleep as nap\n${stdlibTexts()[0]?.text ?? fs.readFileSync(path.join(FIXTURES, 'PCC101.py'), 'utf8')}`;
  const doc = new PythonDocument('file:///resolved.py', 1, text, parser);
  const rng = new Random(20261126);
  const tokens = ['x', 't', 'nap', ' = 1\n', 'import time\n', 'import os as t\n', 'global t\n    ', 'class C:\n    t = 1\n', 'def nap(): pass\n', '\n', '(', ''];
  try {
    resolutions(doc.syntax, doc.text);
    for (let step = 0; step < 40; step++) {
      typeToken(doc, rng, tokens, step + 2);
      assertSameIndex(doc.syntax, `step ${step}`);
      assertSameScopes(doc.syntax, `step ${step}`);
      assertSameAttributeAssignments(doc.syntax, doc.text, `step ${step}`);
      const fresh = new PythonDocument('file:///fresh.py', 1, doc.text, parser);
      assert.deepEqual(resolutions(doc.syntax, doc.text), resolutions(fresh.syntax, fresh.text), `step ${step}`);
      fresh.dispose();
    }
  } finally {
    doc.dispose();
  }
});

test('calls kept across edits are resolved again when an edit elsewhere rebinds or imports their names', async () => {
  const parser = await getParser();
  const text = ['import time as t', 'from time import sleep as nap', 't.sleep(1)', 'nap(2)', 'def use():', '    t.sleep(3)', '    nap(4)', '', 'class K:', '    t.sleep(5)', '    def m(self):', '        nap(6)', '', 'x = 0', ''].join('\n');
  const doc = new PythonDocument('file:///rebound.py', 1, text, parser);
  // Each edit appends or removes one top-level statement at the end, leaving the calls' statements in place.
  const edits = ['t = 1\n', 'def nap(): pass\n', 'import os as t\n', 'global t\n', 'class K:\n    nap = 1\n', 'from os import sleep as t\n', 'nap = None\n'];
  try {
    let version = 1;
    for (const added of edits) {
      const end = { line: doc.lineStarts.length - 1, character: 0 };
      for (const change of [{ range: { start: end, end }, text: added }, { range: { start: end, end: { line: end.line + added.split('\n').length - 1, character: 0 } }, text: '' }]) {
        resolutions(doc.syntax, doc.text); // the analysis before the edit, whose calls are kept
        doc.applyChanges([change], ++version);
        const fresh = new PythonDocument('file:///fresh.py', 1, doc.text, parser);
        assert.deepEqual(resolutions(doc.syntax, doc.text), resolutions(fresh.syntax, fresh.text), `after ${JSON.stringify(change.text || `removing ${added}`)}`);
        fresh.dispose();
      }
    }
  } finally {
    doc.dispose();
  }
});

test('the kind of a name bound in a cycle is the same whichever name is asked first', async () => {
  const parser = await getParser();
  const text = 'import threading\na = threading.Lock()\na = b\nb = a\nc = [b]\nc = [a]\n';
  const doc = new PythonDocument('file:///cycle.py', 1, text, parser);
  const names = (root: Node) => new Map(root.descendantsOfType('identifier').filter((n) => n.parent?.type === 'assignment' && n.field === 'left').map((n) => [n.text, n]));
  const ask = (order: string[]) => {
    const module = new ModuleIndex(text, doc.syntax);
    const found = names(doc.syntax);
    return Object.fromEntries(order.map((name) => [name, module.kindOf(found.get(name)!)]));
  };
  const expected = { a: 'threading.Lock', b: 'threading.Lock', c: undefined };
  assert.deepEqual(ask(['a', 'b', 'c']), expected);
  assert.deepEqual(ask(['b', 'a', 'c']), expected);
  assert.deepEqual(ask(['c', 'b', 'a']), expected);
  doc.dispose();
});
