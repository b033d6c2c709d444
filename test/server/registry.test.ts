// The rule registry: unique codes, complete docs with runnable examples, fixtures, generated docs up to date.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { RULES, findRule } from '../../server/src/rules/index';
import { generateDocs } from '../../server/src/cli/docs';
import { FIXTURES, ROOT, analyze, getParser } from './helpers';
import { tempTree } from './tempDirs';

const HEADINGS = ['What it does', 'Why is this bad?', 'Example', 'Use instead', 'Fix safety', 'References'];

function sections(docs: string): Map<string, string> {
  const result = new Map<string, string>();
  const parts = docs.split(/^## /m).slice(1);
  for (const part of parts) {
    const newline = part.indexOf('\n');
    result.set(part.slice(0, newline).trim(), part.slice(newline + 1));
  }
  return result;
}

function pythonBlock(section: string | undefined): string | undefined {
  return section && /```python\n([\s\S]*?)```/.exec(section)?.[1];
}

test('codes and names are unique and well formed', () => {
  assert.equal(new Set(RULES.map((r) => r.code)).size, RULES.length);
  assert.equal(new Set(RULES.map((r) => r.name)).size, RULES.length);
  for (const rule of RULES) {
    assert.match(rule.code, /^PCC\d{3}$/);
    assert.match(rule.name, /^[a-z]+(-[a-z]+)*$/);
    assert.equal(findRule(rule.code), rule);
    assert.equal(findRule(rule.name.toUpperCase()), rule);
    assert.ok(rule.summary.length > 10 && !rule.summary.includes('\n'), `${rule.code} has a one-line summary`);
  }
});

for (const rule of RULES) {
  test(`${rule.code} docs have the headings in order, and a fixture pair`, () => {
    const found = [...sections(rule.docs).keys()];
    const expected = HEADINGS.filter((h) => h !== 'Fix safety' || rule.fixable);
    assert.deepEqual(found, expected, `${rule.code} headings`);
    assert.ok(fs.existsSync(path.join(FIXTURES, `${rule.code}.py`)), `${rule.code}.py fixture`);
    assert.ok(fs.existsSync(path.join(FIXTURES, `${rule.code}.expected`)), `${rule.code}.expected fixture`);
  });

  test(`${rule.code} examples parse, run, and the rule flags the example but not the cure`, async () => {
    const docs = sections(rule.docs);
    const example = pythonBlock(docs.get('Example'));
    const cure = pythonBlock(docs.get('Use instead'));
    assert.ok(example && cure, `${rule.code} has python blocks under Example and Use instead`);
    const parser = await getParser();
    for (const code of [example, cure]) {
      const tree = parser.parse(code)!;
      assert.equal(tree.rootNode.hasError, false, `${rule.code} example parses`);
      tree.delete();
    }
    assert.ok((await analyze(example, [rule.code])).length > 0, `${rule.code} flags its own Example`);
    assert.deepEqual(await analyze(cure, [rule.code]), [], `${rule.code} is quiet on its Use instead`);
    const dir = tempTree('pcc-doc-');
    for (const [label, code] of [['Example', example], ['Use instead', cure]] as const) {
      const file = path.join(dir, 'example.py');
      fs.writeFileSync(file, code);
      const run = spawnSync('python3', [file], { cwd: dir, timeout: 30_000, encoding: 'utf8' });
      assert.notEqual(run.signal, 'SIGTERM', `${rule.code} ${label} finishes within 30 s`);
      if (label === 'Use instead') assert.equal(run.status, 0, `${rule.code} Use instead runs cleanly:\n${run.stderr}`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
}

test('docs/rules/*.md and the README rule table are generated from the registry and up to date', () => {
  assert.deepEqual(generateDocs(ROOT, true), [], 'run `npm run update-docs` and commit the result');
});
