// The mirror built by the direct walk (cursor state kept in the runtime's transfer buffer) equals
// the one built through web-tree-sitter's public TreeCursor, node by node: type, named, missing,
// offsets, field, children, error flag of each statement. Over every fixture, the hostile inputs
// (syntax errors, deep nesting, odd encodings) and a slice of the machine's standard library; and
// the walk leaves the runtime usable (a public cursor walk afterwards gives the same answers). An edit
// rebuilds only the statements it touched.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { mirrorOf } from '../../server/src/trees';
import { buildMirror } from '../../server/src/syntax/mirror';
import { lineStarts } from '../../server/src/text/positions';
import { parserText } from '../../server/src/documents';
import type { SyntaxNode } from '../../server/src/syntax/node';
import { FIXTURES, getParser } from './helpers';
import { inputs, halfTypedPrefixes } from './robustnessInputs';

/** Every node in pre-order as one line; an explicit stack, since inputs nest 10,000 deep. */
function plain(root: SyntaxNode): string[] {
  const lines: string[] = [];
  const stack: [SyntaxNode, string | undefined][] = [[root, undefined]];
  while (stack.length) {
    const [node, field] = stack.pop()!;
    const unit = node.unit?.root === node ? ` unit:${node.unit.type}:${node.unit.hadError}` : '';
    lines.push(`${node.type} ${node.isNamed} ${node.isMissing} ${node.startIndex}-${node.endIndex} ${field ?? ''} ${node.childCount}${unit}`);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push([node.children[i], node.children[i].field]);
  }
  return lines;
}

/** Every 7th stdlib module (about 250 files), or none without python3. */
function stdlibSample(): { name: string; text: string }[] {
  let dir: string;
  try {
    dir = execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
  } catch {
    return [];
  }
  const files: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory() && entry.name !== 'site-packages' && entry.name !== '__pycache__') walk(full);
      else if (entry.isFile() && entry.name.endsWith('.py')) files.push(full);
    }
  };
  walk(dir);
  return files.filter((_, i) => i % 7 === 0).map((file) => ({ name: path.relative(dir, file), text: fs.readFileSync(file, 'utf8') }));
}

test('the direct walk builds the same mirror as the public cursor on fixtures, hostile inputs and stdlib modules', async () => {
  const parser = await getParser();
  const fixtures = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.py')).sort().map((f) => ({ name: f, text: fs.readFileSync(path.join(FIXTURES, f), 'utf8') }));
  const all = [...fixtures, ...inputs(), ...halfTypedPrefixes(97), ...stdlibSample()];
  let withErrors = 0;
  for (const { name, text } of all) {
    const tree = parser.parse(parserText(text))!;
    try {
      const direct = plain(mirrorOf(tree, text, true));
      const viaCursor = plain(mirrorOf(tree, text, false));
      assert.equal(direct.length, viaCursor.length, `${name}: node count`);
      assert.deepEqual(direct, viaCursor, name);
      if (tree.rootNode.hasError) withErrors++;
      // The runtime's transfer buffer is shared: public calls after a direct walk still answer right.
      assert.equal(tree.rootNode.childCount, tree.rootNode.children.length, `${name}: public API after the walk`);
    } finally {
      tree.delete();
    }
  }
  assert.ok(withErrors >= 10, `inputs with syntax errors were compared (${withErrors})`);
});

test('a direct walk over a tree being read through the public API leaves that reading intact', async () => {
  const parser = await getParser();
  const text = 'import threading\n\nclass Worker(threading.Thread):\n    def run(self):\n        (x\n';
  const tree = parser.parse(text)!;
  try {
    const cursor = tree.walk();
    cursor.gotoFirstChild();
    cursor.gotoNextSibling();
    const before = [cursor.nodeType, cursor.startIndex, cursor.endIndex];
    mirrorOf(tree, text, true);
    assert.deepEqual([cursor.nodeType, cursor.startIndex, cursor.endIndex], before);
    assert.equal(cursor.gotoNextSibling(), false);
    cursor.delete();
  } finally {
    tree.delete();
  }
});

test('an edit rebuilds only the statements it touched; the others are the same objects, moved', async () => {
  const parser = await getParser();
  const before = 'import threading\n\nclass Worker:\n    def run(self):\n        pass\n\n    def stop(self):\n        pass\n\ndef main():\n    pass\n\nx = 1\n';
  const tree = parser.parse(before)!;
  const first = buildMirror(tree, before, lineStarts(before));
  // Type `x` into `run`'s body: a member of the class, so the class shell and that member are rebuilt.
  const at = before.indexOf('pass');
  const after = before.slice(0, at) + 'x' + before.slice(at);
  tree.edit({ startIndex: at, oldEndIndex: at, newEndIndex: at + 1, startPosition: { row: 4, column: 8 }, oldEndPosition: { row: 4, column: 8 }, newEndPosition: { row: 4, column: 9 } });
  const next = parser.parse(after, tree)!;
  const second = buildMirror(next, after, lineStarts(after), { previous: first, edits: [{ start: at, oldEnd: at, newEnd: at + 1 }] });
  try {
    assert.equal(second.built, 2, 'the class shell and the edited method');
    const reused = second.units.filter((u) => first.units.includes(u)).map((u) => u.type);
    assert.deepEqual(reused, ['import_statement', 'function_definition', 'function_definition', 'expression_statement']);
    assert.deepEqual(plain(second.root), plain(mirrorOf(next, after, true)), 'same as a mirror built afresh');
  } finally {
    tree.delete();
    next.delete();
  }
});
