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
import { mayReport, mayReportInCode } from '../../server/src/cli/prescan';
import { nonCodeSpans, presentCodeWords as presentCodeWordsOf } from '../../server/src/cli/codeWords';
import { hasSyntaxErrors } from '../../server/src/trees';
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
  let skippedAfterParse = 0;
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
      } else if (!mayReportInCode(text, RULES, () => true) && !hasSyntaxErrors(tree)) {
        skippedAfterParse++;
        assert.deepEqual(everything.findings, [], `${file}: the words are only in comments and strings, but it has findings`);
      }
      findings += everything.findings.length;
    } finally {
      tree.delete();
    }
  }
  t.diagnostic(`${files.length} files (${fixtures.length} fixtures), ${skipped} skipped by the prescan, ${skippedAfterParse} after a clean parse (words only in comments and strings), ${findings} findings, ${Date.now() - started} ms`);
});

test('what the prescan takes for comments and plain strings, the parser reads as comments and strings', async () => {
  const parser = await getParser();
  const fixtures = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.py')).map((f) => path.join(FIXTURES, f));
  let spans = 0;
  let unsure = 0;
  for (const file of [...fixtures, ...stdlibSample()]) {
    const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    const found = nonCodeSpans(text);
    if (!found) {
      unsure++;
      continue;
    }
    const tree = parser.parse(parserText(text))!;
    try {
      if (hasSyntaxErrors(tree)) continue; // the prescan trusts its spans only after a clean parse
      for (let i = 0; i < found.length; i += 2) {
        const [start, end] = [found[i], found[i + 1]];
        let node: ReturnType<typeof tree.rootNode.descendantForIndex> = tree.rootNode.descendantForIndex(start, Math.max(start, end - 1));
        while (node && node.type !== 'comment' && node.type !== 'string') node = node.parent;
        assert.ok(node && node.startIndex <= start && end <= node.endIndex, `${file}: ${JSON.stringify(text.slice(start, end)).slice(0, 80)} at ${start} is not a comment or string to the parser`);
        if (node.type === 'string') assert.ok(!node.descendantsOfType('interpolation').length, `${file}: an f-string at ${start} taken for a plain string`);
        spans++;
      }
    } finally {
      tree.delete();
    }
  }
  assert.ok(spans > 1000, `only ${spans} spans checked`);
  assert.ok(unsure < 20, `${unsure} files the scanner was unsure of`);
});

test('the prescan scanner counts words in f-strings, continued lines and code as code', () => {
  const words = ['threading', 'asyncio'];
  const code = (text: string) => [...presentCodeWordsOf(text, words)].sort();
  assert.deepEqual(code('# threading\n"""asyncio"""\nx = 1\n'), []);
  assert.deepEqual(code('x = f"{threading.Lock()}"\n'), ['threading']);
  assert.deepEqual(code("s = 'a' \\\n    + threading.x\n"), ['threading']);
  assert.deepEqual(code("s = r'\\' ; asyncio.run(m())\n"), ['asyncio']);
  assert.deepEqual(code('s = "unterminated threading\n'), ['threading'], 'unsure: the whole text counts');
});

test('every rule says which words it requires', () => {
  for (const rule of RULES) assert.ok(rule.requires && rule.requires.length > 0, `${rule.code} has no requires`);
});
