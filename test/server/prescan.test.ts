// The prescan (`Rule.requires`) changes nothing: over the fixtures and a sample of the machine's
// standard library, analyses that skip rules, and files, by their required words find exactly
// what analyses running every rule on every file find.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { analyzeTree } from '../../server/src/analysis';
import { mirrorOf } from '../../server/src/trees';
import { parserText } from '../../server/src/documents';
import { RULES } from '../../server/src/rules/index';
import { mayReport } from '../../server/src/cli/prescan';
import { collectFiles } from '../../server/src/cli/files';
import { configFor, FIXTURES, getParser } from './helpers';

function stdlibSample(): string[] {
  let dir: string;
  try {
    dir = execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
  } catch {
    return [];
  }
  const files = collectFiles([dir]);
  // Every 12th file, plus the modules full of concurrency code.
  const wanted = /(thread|asyncio|concurrent|multiprocessing|subprocess|queue|socketserver|sched|contextlib|selectors)/;
  return files.filter((f, i) => i % 12 === 0 || wanted.test(path.relative(dir, f)));
}

test('rules skipped for lack of their required words would have found nothing', async (t) => {
  const parser = await getParser();
  const config = configFor();
  const fixtures = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.py')).map((f) => path.join(FIXTURES, f));
  const files = [...fixtures, ...stdlibSample()];
  let skipped = 0;
  let findings = 0;
  const started = Date.now();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    const tree = parser.parse(parserText(text))!;
    try {
      const root = mirrorOf(tree, text);
      const everything = analyzeTree(text, root, config.selection, config.options, RULES, false);
      const gated = analyzeTree(text, root, config.selection, config.options, RULES, true);
      assert.deepEqual(gated.findings, everything.findings, `${file}: skipping rules by their words changed the findings`);
      if (!mayReport(text, RULES, () => true)) {
        skipped++;
        assert.deepEqual(everything.findings, [], `${file}: the prescan skips this file, but it has findings`);
      }
      findings += everything.findings.length;
    } finally {
      tree.delete();
    }
  }
  t.diagnostic(`${files.length} files (${fixtures.length} fixtures), ${skipped} skipped by the prescan, ${findings} findings, ${Date.now() - started} ms`);
});

test('every rule says which words it requires', () => {
  for (const rule of RULES) assert.ok(rule.requires && rule.requires.length > 0, `${rule.code} has no requires`);
});
