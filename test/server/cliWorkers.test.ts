// `check` on worker threads (24 files or more) prints exactly what a run on one thread prints, with
// and without the prescan: findings in file order, config warnings once, exit code. The main thread
// settles files that need no parse while the workers start; this proves the split changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CLI } from './lspClient';
import { FIXTURES } from './helpers';
import { tempTree } from './tempDirs';

function run(args: string[], cwd: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every fixture, twice (one copy under a project with its own config), and files no rule needs. */
function project(): string {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.py'))) {
    const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
    files[`a/${name}`] = text;
    files[`b/${name}`] = text;
  }
  for (let i = 0; i < 30; i++) files[`plain/m${i}.py`] = `# 世界 ${i}\nimport os\nprint(os.getcwd())\n`;
  files['b/pyproject.toml'] = [
    '[tool.concurrency-coach]',
    'ignore = ["PCC118"]',
    'exclude = ["PCC2*.py"]',
    'python-version = "two"', // a bad value: warned once, not once per file
    '[tool.concurrency-coach.per-file-ignores]',
    '"PCC10*.py" = ["PCC101"]',
  ].join('\n');
  return tempTree('pcc-workers-', files);
}

test('check on workers prints what one thread prints, with and without the prescan', () => {
  const dir = project();
  for (const format of ['json', 'text']) {
    const args = ['check', '.', '--format', format, '--no-progress'];
    const workers = run(args, dir);
    const oneThread = run(args, dir, { CONCURRENCY_COACH_WORKERS: '0' });
    const plain = run(args, dir, { CONCURRENCY_COACH_WORKERS: '0', CONCURRENCY_COACH_PRESCAN: '0' });
    const forcedWorkers = run(args, dir, { CONCURRENCY_COACH_WORKERS: '2' });
    assert.equal(workers.code, 1, workers.stderr);
    for (const other of [oneThread, plain, forcedWorkers]) {
      assert.equal(other.code, workers.code);
      assert.equal(other.stdout, workers.stdout);
      assert.equal(other.stderr, workers.stderr);
    }
    if (format === 'json') {
      const findings = JSON.parse(workers.stdout) as { file: string; code: string }[];
      const files = new Set(findings.map((f) => f.file.split(path.sep)[0]));
      assert.deepEqual([...files].sort(), ['a', 'b'], 'findings come from both copies, none from plain/');
      assert.ok(!findings.some((f) => f.file.startsWith(`b${path.sep}PCC2`)), 'exclude applies on workers');
      assert.ok(!findings.some((f) => f.file.startsWith('b') && f.code === 'PCC118'), 'ignore applies on workers');
    }
    assert.equal(workers.stderr.split('python-version').length - 1, 1, `one warning for the bad setting:\n${workers.stderr}`);
  }
});

test('check on workers with every file settled before a parse exits 0 and names the file count', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 40; i++) files[`m${i}.py`] = `# threading is only named in a comment ${i}\nprint(${i})\n`;
  const dir = tempTree('pcc-workers-plain-', files);
  const result = run(['check', '.'], dir, { CONCURRENCY_COACH_WORKERS: '2' });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /No problems found in 40 files\./);
});
