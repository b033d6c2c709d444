// pyproject.toml: requires-python specifiers, error messages, the walk up and the mtime cache.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findPyproject, lowestPython3, readPyproject } from '../../server/src/config/pyproject';
import { tempTree } from './tempDirs';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = tempTree('pcc-pyproject-');
  dirs.push(dir);
  return dir;
}

test('the lowest 3.x version a requires-python specifier allows', () => {
  const cases: [string, string][] = [
    ['>=3.10', '3.10'],
    ['~=3.11', '3.11'],
    ['~=3.11.4', '3.11'],
    ['>=3.9,<4', '3.9'],
    ['>= 3.9 , < 4.0', '3.9'],
    ['<4,>=3.8', '3.8'],
    ['>=3.12.1', '3.12'],
    ['==3.11.*', '3.11'],
    ['==3.13', '3.13'],
    ['===3.10', '3.10'],
    ['>=3.8,!=3.8.*', '3.9'],
    ['>=3.8,!=3.8.*,!=3.9.*', '3.10'],
    ['>3.9', '3.9'], // 3.9.1 is greater than 3.9
    ['>3.9.*', ''], // invalid: a wildcard only goes with == and !=
    ['>=3.11.0rc1', '3.11'],
    ['>=2.7', '3.0'],
  ];
  for (const [spec, expected] of cases) {
    const result = lowestPython3(spec);
    if (expected) assert.deepEqual(result, { version: expected }, spec);
    else assert.ok('problem' in result, spec);
  }
});

test('an unusable specifier says why and what is expected', () => {
  const expected = 'expected a version specifier like ">=3.10", "~=3.11" or ">=3.9,<4"';
  assert.deepEqual(lowestPython3('3.10'), { problem: `"3.10" is not a version clause; ${expected}` });
  assert.deepEqual(lowestPython3('^3.10'), { problem: `"^3.10" is not a version clause; ${expected}` });
  assert.deepEqual(lowestPython3('<3.12'), { problem: `it sets no lower bound; ${expected}` });
  assert.deepEqual(lowestPython3(''), { problem: `it is empty or has an empty clause; ${expected}` });
  assert.deepEqual(lowestPython3('>=3.10,'), { problem: `it is empty or has an empty clause; ${expected}` });
  assert.deepEqual(lowestPython3('>=4'), { problem: `it allows no Python 3 version; ${expected}` });
  assert.deepEqual(lowestPython3('>=3.12,<3.10'), { problem: `it allows no Python 3 version; ${expected}` });
  assert.deepEqual(lowestPython3('~=3'), { problem: `"~=3" is not a version clause; ${expected}` });
});

test('readPyproject: requires-python, the [tool.concurrency-coach] table, and no problems', () => {
  const text = '[project]\nname = "demo"\nrequires-python = ">=3.10"\n\n[tool.concurrency-coach]\nselect = ["PCC1"]\n';
  assert.deepEqual(readPyproject(text, '/p/pyproject.toml'), {
    path: '/p/pyproject.toml',
    requiresPython: '3.10',
    tool: { select: ['PCC1'] },
    problems: [],
  });
  assert.deepEqual(readPyproject('[tool.black]\nline-length = 100\n', '/p/pyproject.toml'), { path: '/p/pyproject.toml', problems: [] });
});

test('readPyproject: invalid TOML names the line; a bad requires-python names the key and the expected form', () => {
  assert.deepEqual(readPyproject('[project]\nname = "x"\nrequires-python = >=3.10\n', '/p/pyproject.toml').problems, [
    'pyproject.toml line 3: invalid value (/p/pyproject.toml); its settings are ignored.',
  ]);
  assert.deepEqual(readPyproject('[project]\n[project]\n', '/p/pyproject.toml').problems, [
    'pyproject.toml line 2: trying to redefine an already defined table or value (/p/pyproject.toml); its settings are ignored.',
  ]);
  const bad = readPyproject('[project]\nrequires-python = "3.10"\n', '/p/pyproject.toml');
  assert.equal(bad.requiresPython, undefined);
  assert.deepEqual(bad.problems, [
    '[project] requires-python in /p/pyproject.toml is "3.10", which cannot be used: "3.10" is not a version clause; '
      + 'expected a version specifier like ">=3.10", "~=3.11" or ">=3.9,<4". Using the default Python.',
  ]);
  assert.deepEqual(readPyproject('[project]\nrequires-python = 3.10\n', '/p/pyproject.toml').problems, [
    '[project] requires-python in /p/pyproject.toml must be a string such as ">=3.10"; using the default Python.',
  ]);
  assert.deepEqual(readPyproject('[tool]\nconcurrency-coach = 1\n', '/p/pyproject.toml').problems, [
    '[tool.concurrency-coach] in /p/pyproject.toml must be a table; it is ignored.',
  ]);
});

test('findPyproject walks up to the nearest file, caches by mtime, and ignores non-file URIs', () => {
  const root = tempDir();
  const inner = path.join(root, 'a', 'b');
  fs.mkdirSync(inner, { recursive: true });
  const outerFile = path.join(root, 'pyproject.toml');
  fs.writeFileSync(outerFile, '[project]\nrequires-python = ">=3.9"\n');
  const uri = pathToFileURL(path.join(inner, 'x.py')).toString();
  const first = findPyproject(uri);
  assert.equal(first?.path, outerFile);
  assert.equal(first?.requiresPython, '3.9');
  assert.equal(findPyproject(uri), first, 'unchanged file: the cached object');

  // A nearer file wins.
  const nearer = path.join(root, 'a', 'pyproject.toml');
  fs.writeFileSync(nearer, '[project]\nrequires-python = "~=3.13"\n');
  assert.equal(findPyproject(uri)?.path, nearer);
  assert.equal(findPyproject(uri)?.requiresPython, '3.13');

  // A changed file is read again.
  fs.writeFileSync(nearer, '[project]\nrequires-python = ">=3.11"\n');
  const future = new Date(Date.now() + 5000);
  fs.utimesSync(nearer, future, future);
  assert.equal(findPyproject(uri)?.requiresPython, '3.11');

  // A folder named pyproject.toml is no file.
  const dirRoot = tempDir();
  fs.mkdirSync(path.join(dirRoot, 'pyproject.toml'));
  assert.notEqual(findPyproject(pathToFileURL(path.join(dirRoot, 'y.py')).toString())?.path, path.join(dirRoot, 'pyproject.toml'));

  for (const other of ['untitled:Untitled-1', 'vscode-notebook-cell:/x/nb.ipynb#W0', 'file://remote-host/share/x.py', 'not a uri']) {
    assert.doesNotThrow(() => findPyproject(other));
  }
  assert.equal(findPyproject('untitled:Untitled-1'), undefined);
});
