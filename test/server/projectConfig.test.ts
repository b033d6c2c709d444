// [tool.concurrency-coach] in pyproject.toml: read by the CLI and the server, overridden by settings and flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { CLI, LspClient } from './lspClient';
import { tempTree } from './tempDirs';
import { readPyproject } from '../../server/src/config/pyproject';
import { effectiveConfig, readProjectSettings } from '../../server/src/config/projectConfig';
import { DEFAULT_SETTINGS } from '../../server/src/config/settings';

const PYPROJECT = `[project]
name = "demo"
requires-python = ">=3.10"

[tool.concurrency-coach]
select = ["PCC1", "PCC3"]
ignore = ["PCC104"]
severity = { PCC301 = "error" }
exclude = ["generated", "*_pb2.py"]

[tool.concurrency-coach.per-file-ignores]
"tests/**" = ["PCC101"]
`;

const SLEEPY = 'import time\nimport threading\nlock = threading.Lock()\n\nasync def poll():\n    time.sleep(1)\n    await poll()\n\ndef f():\n    lock.acquire()\n    print(1)\n    lock.release()\n\ndef g():\n    t = threading.Thread(target=f)\n    t.start()\n';

function project(): string {
  const files: Record<string, string> = { 'pyproject.toml': PYPROJECT };
  for (const file of ['src/app.py', 'tests/test_app.py', 'generated/out.py', 'src/api_pb2.py']) files[file] = SLEEPY;
  return tempTree('pcc-proj-', files);
}

function cli(dir: string, args: string[]): { file: string; code: string; severity: string }[] {
  const result = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', ...args], { cwd: dir, encoding: 'utf8' });
  return JSON.parse(result.stdout).map((f: { file: string; code: string; severity: string }) => ({ file: f.file, code: f.code, severity: f.severity }));
}

test('the CLI applies select, ignore, severity, exclude and per-file-ignores from pyproject.toml', () => {
  const dir = project();
  assert.deepEqual(cli(dir, ['.']), [
    { file: path.join('src', 'app.py'), code: 'PCC101', severity: 'warning' },
    { file: path.join('src', 'app.py'), code: 'PCC301', severity: 'error' },
    { file: path.join('tests', 'test_app.py'), code: 'PCC301', severity: 'error' },
  ]);
  // Flags override the project per key; an excluded file named explicitly is still checked.
  assert.deepEqual(cli(dir, ['--select', 'PCC2', '.']).map((f) => f.code), ['PCC201', 'PCC201']);
  assert.deepEqual(cli(dir, ['generated/out.py']).map((f) => f.code), ['PCC101', 'PCC301']);
});

test('bad values name the key and the expected form, and are ignored', () => {
  const info = readPyproject('[tool.concurrency-coach]\nselect = "PCC1"\npython-version = "2.7"\nsevirity = {}\n', '/p/pyproject.toml');
  assert.deepEqual(readProjectSettings(info).problems, [
    'Unknown key [tool.concurrency-coach] sevirity in /p/pyproject.toml: expected one of select, ignore, severity, python-version, exclude, per-file-ignores; it is ignored.',
    '[tool.concurrency-coach] select in /p/pyproject.toml must be a list of strings, like ["PCC1", "worker-never-joined"]; it is ignored.',
    '[tool.concurrency-coach] python-version in /p/pyproject.toml must look like "3.12" (3.9 to 3.14); got "2.7", so it is ignored.',
  ]);
  const unknown = effectiveConfig(DEFAULT_SETTINGS, readPyproject('[tool.concurrency-coach]\nignore = ["PCC999"]\n', '/p/pyproject.toml'), undefined, '--');
  assert.deepEqual(unknown.problems, ['Unknown rule "PCC999" in [tool.concurrency-coach] ignore of /p/pyproject.toml: expected a code like PCC101, a prefix like PCC1, a rule name, or ALL.']);
});

test('python-version: setting, then [tool.concurrency-coach], then requires-python, then the default', () => {
  const info = readPyproject('[project]\nrequires-python = ">=3.10"\n[tool.concurrency-coach]\npython-version = "3.13"\n', '/p/pyproject.toml');
  assert.deepEqual(effectiveConfig(DEFAULT_SETTINGS, info, undefined, '--').python, { version: '3.13', freeThreaded: false, source: 'pyproject' });
  assert.deepEqual(effectiveConfig({ ...DEFAULT_SETTINGS, pythonVersion: '3.9' }, info, undefined, '--').python, { version: '3.9', freeThreaded: false, source: 'setting' });
  const plain = readPyproject('[project]\nrequires-python = ">=3.10"\n', '/p/pyproject.toml');
  assert.equal(effectiveConfig(DEFAULT_SETTINGS, plain, undefined, '--').python.version, '3.10');
  assert.equal(effectiveConfig(DEFAULT_SETTINGS, undefined, undefined, '--').python.version, '3.12');
});

test('the server reads pyproject.toml, lets settings override it, and reloads on change', async () => {
  const dir = project();
  const uri = pathToFileURL(path.join(dir, 'src', 'app.py')).toString();
  const client = await LspClient.start();
  try {
    const codes = (ds: { code?: unknown }[]) => ds.map((d) => d.code);
    assert.deepEqual(codes(await client.open(uri, SLEEPY)), ['PCC101', 'PCC301']);
    const excluded = pathToFileURL(path.join(dir, 'generated', 'out.py')).toString();
    assert.deepEqual(await client.open(excluded, SLEEPY), []);
    await client.changeConfiguration({ select: ['PCC201'] });
    await client.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '' }], false);
    assert.deepEqual(codes(await client.diagnosticsFor(uri, 2)), ['PCC201']);
    await client.changeConfiguration({});
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), PYPROJECT.replace('select = ["PCC1", "PCC3"]', 'select = ["PCC3"]') + '\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(dir, 'pyproject.toml')).toString(), type: 2 }] });
    await client.waitFor(() => {
      const last = client.published.get(uri)?.at(-1);
      return last && last.diagnostics.length === 1 && last.diagnostics[0].code === 'PCC301' ? last : undefined;
    }, 5000, 'diagnostics after the pyproject.toml change');
  } finally {
    await client.stop();
  }
});
