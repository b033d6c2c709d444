// The CLI contract: output formats, exit codes, --fix, rules and rule, usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CLI } from './lspClient';
import { tempTree } from './tempDirs';

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function workspace(files: Record<string, string>): string {
  return tempTree('pcc-cli-', files);
}

const SLEEPY = '# 😀 first\nimport time\n\nasync def poll(other):\n    x = "😀"; time.sleep(1)\n    await other\n';
const LOCKED = 'import threading\nlock = threading.Lock()\n\ndef f():\n    lock.acquire()\n    print(1)\n    lock.release()\n';

test('text output names path, line, column, code, name and message; exit 1', () => {
  const dir = workspace({ 'src/a.py': SLEEPY, 'src/ok.py': 'print(1)\n' });
  const result = run(['check', 'src'], dir);
  assert.equal(result.code, 1);
  assert.equal(result.stdout, `${path.join('src', 'a.py')}:5:14: PCC101 [blocking-sleep-in-async] Blocking \`time.sleep()\` in async function \`poll\` stalls the event loop\n`);
  assert.match(result.stderr, /Found 1 problem in 1 file/);
});

test('json output: 1-based lines, code-point columns, fix details', () => {
  const dir = workspace({ 'a.py': SLEEPY });
  const result = run(['check', 'a.py', '--format', 'json'], dir);
  assert.equal(result.code, 1);
  const [finding] = JSON.parse(result.stdout);
  assert.deepEqual(
    { ...finding, fix: { ...finding.fix, edits: finding.fix.edits.length } },
    {
      file: 'a.py', line: 5, column: 14, endLine: 5, endColumn: 27, code: 'PCC101', name: 'blocking-sleep-in-async',
      severity: 'warning', message: 'Blocking `time.sleep()` in async function `poll` stalls the event loop',
      fix: { title: 'Replace with `await asyncio.sleep(...)`', safe: false, edits: 2 },
    },
  );
});

test('a clean tree exits 0; --exit-zero exits 0 with findings', () => {
  const dir = workspace({ 'ok.py': 'import time\ntime.sleep(0)\n', 'a.py': SLEEPY });
  assert.equal(run(['check', 'ok.py'], dir).code, 0);
  assert.equal(run(['check', '.', '--exit-zero'], dir).code, 0);
});

test('folders skip virtual environments, node_modules, __pycache__ and .git', () => {
  const dir = workspace({
    'pkg/a.py': SLEEPY, '.venv/lib/b.py': SLEEPY, 'node_modules/c.py': SLEEPY, '__pycache__/d.py': SLEEPY,
    '.git/e.py': SLEEPY, 'env2/pyvenv.cfg': '', 'env2/f.py': SLEEPY,
  });
  const findings = JSON.parse(run(['check', '.', '--format', 'json'], dir).stdout);
  assert.deepEqual(findings.map((f: { file: string }) => f.file), [path.join('pkg', 'a.py')]);
});

test('--select and --ignore take codes, prefixes and names', () => {
  const dir = workspace({ 'a.py': SLEEPY + LOCKED.replace('import threading\n', '\nimport threading\n') });
  const codes = (args: string[]) => JSON.parse(run(['check', 'a.py', '--format', 'json', ...args], dir).stdout).map((f: { code: string }) => f.code);
  assert.deepEqual(codes([]), ['PCC101', 'PCC301']);
  assert.deepEqual(codes(['--select', 'PCC3']), ['PCC301']);
  assert.deepEqual(codes(['--ignore', 'blocking-sleep-in-async']), ['PCC301']);
});

test('--fix applies safe fixes only and reports what is left', () => {
  const dir = workspace({ 'a.py': SLEEPY, 'b.py': LOCKED });
  const result = run(['check', '.', '--fix'], dir);
  assert.equal(result.code, 1);
  assert.equal(fs.readFileSync(path.join(dir, 'b.py'), 'utf8'), 'import threading\nlock = threading.Lock()\n\ndef f():\n    with lock:\n        print(1)\n');
  assert.equal(fs.readFileSync(path.join(dir, 'a.py'), 'utf8'), SLEEPY, 'the unsafe PCC101 fix is not applied');
  assert.match(result.stdout, /a\.py:5:14: PCC101/);
  assert.doesNotMatch(result.stdout, /PCC301/);
});

test('usage errors and unreadable paths exit 2 with a message saying which', () => {
  const dir = workspace({ 'a.py': SLEEPY });
  const missing = run(['check', 'nope/'], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read nope\/: no such file or directory/);
  const format = run(['check', '--format', 'xml'], dir);
  assert.equal(format.code, 2);
  assert.match(format.stderr, /unknown format "xml"/);
  const select = run(['check', '--select', 'PCC999'], dir);
  assert.equal(select.code, 2);
  assert.match(select.stderr, /Unknown rule "PCC999"/);
  const option = run(['check', '--bogus'], dir);
  assert.equal(option.code, 2);
  assert.match(option.stderr, /--bogus/);
  assert.equal(run(['frobnicate'], dir).code, 2);
});

test('rules --format json lists the registry; rule prints the docs', () => {
  const rules = JSON.parse(run(['rules', '--format', 'json'], os.tmpdir()).stdout);
  assert.deepEqual(rules.find((r: { code: string }) => r.code === 'PCC101'), {
    code: 'PCC101', name: 'blocking-sleep-in-async', severity: 'warning',
    summary: '`time.sleep()` inside `async def` blocks the event loop.', fixable: true,
  });
  const page = run(['rule', 'blocking-sleep-in-async'], os.tmpdir());
  assert.equal(page.code, 0);
  assert.match(page.stdout, /^# PCC101: blocking-sleep-in-async\n/);
  assert.match(page.stdout, /## Why is this bad\?/);
  const unknown = run(['rule', 'PCC999'], os.tmpdir());
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown rule "PCC999"/);
});
