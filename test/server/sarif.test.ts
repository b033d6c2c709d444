// SARIF output validates against the published SARIF 2.1.0 schema; GitHub annotations are well formed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import Ajv from 'ajv-draft-04';
import { CLI } from './lspClient';
import { tempTree } from './tempDirs';
import { RULES } from '../../server/src/rules/index';
import { VERSION } from '../../server/src/cli/version';
import { ROOT } from './helpers';

const SOURCE = '# 世界 😀\nimport threading\nimport time\nlock = threading.Lock()\n\nasync def poll(other):\n    x = "😀"; time.sleep(1)\n    await other\n\ndef f():\n    lock.acquire()\n    print(1)\n    lock.release()\n';

function check(format: string) {
  const dir = tempTree('pcc-sarif-', { 'src/app.py': SOURCE });
  return spawnSync(process.execPath, [CLI, 'check', 'src', '--format', format], { cwd: dir, encoding: 'utf8' });
}

test('--format sarif validates against the SARIF 2.1.0 schema and carries rule metadata', () => {
  const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);
  const result = check('sarif');
  assert.equal(result.status, 1);
  const log: any = JSON.parse(result.stdout);
  assert.ok(validate(log) as boolean, JSON.stringify(validate.errors, null, 2));
  const run = log.runs[0];
  assert.equal(run.tool.driver.name, 'concurrency-coach');
  assert.equal(run.tool.driver.version, VERSION);
  assert.equal(run.columnKind, 'unicodeCodePoints');
  assert.equal(run.tool.driver.rules.length, RULES.length);
  for (const rule of run.tool.driver.rules) {
    assert.match(rule.helpUri, new RegExp(`/docs/rules/${rule.id}\\.md$`));
    assert.ok(rule.help.markdown.includes('## Why is this bad?'));
  }
  assert.deepEqual(
    run.results.map((r: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: object } }[] }) => [r.ruleId, r.level, r.locations[0].physicalLocation.artifactLocation.uri, r.locations[0].physicalLocation.region]),
    [
      ['PCC101', 'warning', 'src/app.py', { startLine: 7, startColumn: 14, endLine: 7, endColumn: 27 }],
      ['PCC301', 'warning', 'src/app.py', { startLine: 11, startColumn: 5, endLine: 11, endColumn: 19 }],
    ],
  );
  for (const r of run.results) assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
});

test('--format github prints one workflow annotation per finding', () => {
  const result = check('github');
  assert.equal(result.status, 1);
  assert.equal(
    result.stdout,
    '::warning file=src/app.py,line=7,col=14,endLine=7,endColumn=27,title=PCC101 blocking-sleep-in-async::Blocking `time.sleep()` in async function `poll` stalls the event loop\n'
    + '::warning file=src/app.py,line=11,col=5,endLine=11,endColumn=19,title=PCC301 lock-acquire-without-with::Lock `lock` is acquired without `with`: it stays held if the code before `release()` raises\n',
  );
});

test('the CLI version matches package.json', () => {
  assert.equal(VERSION, JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
});
