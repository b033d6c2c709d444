// The module's outline (server/src/incremental/outline.ts): which edits leave it as it was, so that
// the findings of local rules and the facts of nodes in the other statements are kept, and which
// change it. Each case edits one statement of a small module and compares the outlines.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PythonDocument } from '../../server/src/documents';
import { moduleOutline } from '../../server/src/incremental/outline';
import { unitsInOrder } from '../../server/src/syntax/node';
import { getParser } from './helpers';

const BASE = [
  '"""Module docstring."""',
  'import threading',
  '',
  'LIMIT = 3',
  '',
  '',
  '# a comment',
  'def work(n):',
  '    total = n + 1',
  '    print(total)',
  '    return total',
  '',
  '',
  'class Pool:',
  '    """Class docstring."""',
  '',
  '    def __init__(self):',
  '        lock = threading.Lock()',
  '        size = 2',
  '        self.lock = lock',
  '',
  '    def run(self):',
  '        print("running")',
  '',
].join('\n');

async function outlineOf(text: string): Promise<string[]> {
  const doc = new PythonDocument('file:///outline.py', 1, text, await getParser());
  const units = unitsInOrder(doc.syntax);
  assert.ok(units, 'a module mirror');
  const { entries } = moduleOutline(doc.syntax, units);
  doc.dispose();
  return entries;
}

const CASES: { edit: string; from: string; to: string; same: boolean }[] = [
  { edit: 'a statement in a function body', from: '    print(total)', to: '    print(total, n)', same: true },
  { edit: 'a binding in a function that assigns no attribute', from: 'total = n + 1', to: 'total = n + 2', same: true },
  { edit: 'a method that assigns no attribute', from: 'print("running")', to: 'print("run")', same: true },
  { edit: 'the module docstring, same lines', from: 'Module docstring.', to: 'Module doc.', same: true },
  { edit: 'a class docstring, same lines', from: 'Class docstring.', to: 'Class doc.', same: true },
  { edit: 'a comment', from: '# a comment', to: '# another comment', same: true },
  { edit: "a name an attribute's value reaches", from: 'lock = threading.Lock()', to: 'lock = threading.RLock()', same: false },
  { edit: "a binding no attribute's value reaches", from: 'size = 2', to: 'size = 3', same: true },
  { edit: 'a function header', from: 'def work(n):', to: 'def work(n, m):', same: false },
  { edit: 'a module-level statement', from: 'LIMIT = 3', to: 'LIMIT = 4', same: false },
  { edit: 'an import', from: 'import threading', to: 'import threading as th', same: false },
  { edit: 'an import inside a function', from: '    print(total)', to: '    import asyncio', same: false },
  { edit: 'a global statement in a function', from: '    print(total)', to: '    global LIMIT', same: false },
  { edit: 'a yield in a function', from: '    print(total)', to: '    yield total', same: false },
  { edit: 'a docstring that gains a line', from: 'Module docstring."""', to: 'Module docstring.\n"""', same: false },
  { edit: 'the blank lines between statements', from: 'LIMIT = 3\n\n', to: 'LIMIT = 3\n\n\n', same: false },
  { edit: 'a string left open in a function body', from: '    print(total)', to: '    print("""total)', same: false },
];

for (const { edit, from, to, same } of CASES) {
  test(`outline: ${edit} ${same ? 'leaves it as it was' : 'changes it'}`, async () => {
    assert.ok(BASE.includes(from), `no ${JSON.stringify(from)} in the module`);
    const before = await outlineOf(BASE);
    const after = await outlineOf(BASE.replace(from, to));
    assert.equal(before.join('\u0002') === after.join('\u0002'), same);
  });
}
