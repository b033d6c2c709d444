// snippets/python.json: well-formed, aligned with PATTERN_META, and every pattern, with its
// defaults accepted and its imports added, parses cleanly and runs under python3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  alignmentProblems,
  buildPatterns,
  findExtensionRoot,
  groupPatterns,
  loadPatterns,
  MODEL_ORDER,
  parseSnippetFile,
  PATTERN_META,
  planPatternInsert,
  SNIPPETS_FILE,
  supportedOn,
} from '../../server/src/coaching/patterns';
import { versionAtLeast } from '../../server/src/pythonVersion';
import { createParser, mirrorOf, type Node } from '../../server/src/trees';
import { applyInsertions, expandSnippet, expandedPatterns, parseSnippet, tabstopDefaults } from './snippetExpand';
import { tempTree } from './tempDirs';

const root = findExtensionRoot(__dirname);
assert.ok(root, `${SNIPPETS_FILE} not found above ${__dirname}`);
const rawJson = fs.readFileSync(path.join(root, SNIPPETS_FILE), 'utf8');
const entries = parseSnippetFile(rawJson);
const patterns = loadPatterns(root);
const expanded = expandedPatterns(patterns);

// ---------------------------------------------------------------- the expander itself

test('expander: tab stops, placeholders, mirrors and $0', () => {
  assert.equal(expandSnippet('a$1b$0c'), 'abc');
  assert.equal(expandSnippet('${1:x} = $1 + ${2}'), 'x = x + ');
  assert.equal(expandSnippet('$1 then ${1:late}'), 'late then late', 'a mirror before its placeholder');
  assert.equal(expandSnippet('${1:outer ${2:inner} end} $2'), 'outer inner end inner');
  assert.equal(expandSnippet('${1:self.$2}|${2:item}'), 'self.item|item');
});

test('expander: choices, escapes and plain dollars', () => {
  assert.equal(expandSnippet('${1|first,second|}'), 'first');
  assert.equal(expandSnippet('${1|a\\,b,c|}'), 'a,b');
  assert.equal(expandSnippet('cost: \\$5 \\} \\\\ ${1:{x\\}}'), 'cost: $5 } \\ {x}');
  assert.equal(expandSnippet('price $ 3 and ${'), 'price $ 3 and ${');
});

test('expander: variables, transforms and indentation', () => {
  assert.equal(expandSnippet('$TM_FILENAME ${TM_FILENAME_BASE}'), 'example.py example');
  assert.equal(expandSnippet('${TM_SELECTED_TEXT:fallback}'), 'fallback');
  assert.equal(expandSnippet('$NOT_A_VARIABLE'), 'NOT_A_VARIABLE');
  assert.equal(expandSnippet('${TM_FILENAME/(.*)\\.py/${1:/upcase}/}'), 'EXAMPLE');
  assert.equal(expandSnippet('${1:hello}-${1/(h)(x)?/${2:?yes:no}/}'), 'hello-noello');
  assert.equal(expandSnippet(['if x:', '\tpass', '\t\t\tdeep\tinner']), 'if x:\n    pass\n            deep\tinner');
  assert.throws(() => parseSnippet('${1:unclosed'));
});

// ---------------------------------------------------------------- the snippet file

test('snippet file: every entry is a snippet with a description, and prefixes are unique', () => {
  const raw = JSON.parse(rawJson) as Record<string, unknown>;
  assert.deepEqual(Object.keys(entries), Object.keys(raw), 'an entry lacks prefix, description or body');
  const prefixes = Object.values(entries).map((e) => e.prefix);
  const repeated = prefixes.filter((p, i) => prefixes.indexOf(p) !== i);
  assert.deepEqual(repeated, []);
  for (const [key, entry] of Object.entries(entries)) {
    assert.match(entry.prefix, /^cc-[a-z]+(-[a-z0-9]+)+$/, key);
    assert.ok(entry.description.trim().length > 10, `${key}: description`);
  }
});

test('snippet file and PATTERN_META agree', () => {
  assert.deepEqual(alignmentProblems(entries), []);
  assert.equal(patterns.length, Object.keys(entries).length);
  assert.deepEqual(
    patterns.map((p) => p.model),
    [...patterns.map((p) => p.model)].sort((a, b) => MODEL_ORDER.indexOf(a) - MODEL_ORDER.indexOf(b)),
    'PATTERN_META is grouped by model, in MODEL_ORDER',
  );
  assert.deepEqual(Object.keys(entries), Object.keys(PATTERN_META), 'the snippet file keeps the same order');
});

test('alignment check catches drift', () => {
  const drifted = parseSnippetFile(rawJson);
  drifted['threads-extra'] = { prefix: 'cc-threads-extra', description: 'x', body: 'pass' };
  drifted['threads-join'] = { ...drifted['threads-join'], prefix: 'cc-join' };
  delete drifted['asyncio-run'];
  assert.deepEqual(alignmentProblems(drifted), [
    'threads-extra: snippet without metadata in PATTERN_META',
    'threads-join: prefix should be cc-threads-join, is cc-join',
    'asyncio-run: metadata without a snippet in snippets/python.json',
  ]);
  assert.equal(buildPatterns(drifted).length, patterns.length - 1);
});

test('the requested patterns are all there', () => {
  const need = [
    'threads-join', 'threads-subclass', 'threads-queue', 'threads-lock', 'threads-event', 'threads-pool', 'threads-map',
    'asyncio-run', 'asyncio-gather', 'asyncio-gather-exceptions', 'asyncio-taskgroup', 'asyncio-semaphore', 'asyncio-queue',
    'asyncio-to-thread', 'asyncio-timeout', 'asyncio-wait-for',
    'processes-pool-executor', 'processes-pool-map', 'processes-queue',
  ];
  assert.deepEqual(need.filter((key) => !PATTERN_META[key]), []);
  assert.ok(supportedOn(PATTERN_META['asyncio-taskgroup'], '3.12'));
  assert.ok(!supportedOn(PATTERN_META['asyncio-taskgroup'], '3.10'));
});

test('bodies: no import lines, tab indentation, tab stops numbered 1..n with one default each', () => {
  for (const p of patterns) {
    const lines = p.body.split('\n');
    assert.deepEqual(lines.filter((l) => /^\s*(import\s|from\s+\S+\s+import\s)/.test(l)), [], `${p.key}: imports belong in PATTERN_META`);
    assert.deepEqual(lines.filter((l) => /^ +\S/.test(l)), [], `${p.key}: indent with \\t so editors apply the user's indentation`);
    assert.deepEqual(lines.filter((l) => /\s$/.test(l)), [], `${p.key}: trailing whitespace`);
    const defaults = tabstopDefaults(parseSnippet(p.body));
    const numbered = [...defaults.keys()].filter((i) => i > 0).sort((a, b) => a - b);
    assert.deepEqual(numbered, numbered.map((_, i) => i + 1), `${p.key}: tab stops skip a number`);
    for (const [index, texts] of defaults) assert.ok(texts.size <= 1, `${p.key}: $${index} has ${texts.size} different defaults`);
  }
});

test('imports: each is added once at the top of the expanded file, and nothing else imports', () => {
  for (const { pattern, text } of expanded) {
    const importLines = text.split('\n').filter((l) => /^(import|from)\s/.test(l));
    assert.deepEqual(importLines, [...pattern.imports], pattern.key);
    assert.ok(text.startsWith(pattern.imports.join('\n') + '\n\n'), `${pattern.key}: imports first, then a blank line`);
  }
});

test('picker groups: by model in order, patterns for a newer Python marked', () => {
  const groups = groupPatterns(patterns, '3.10');
  assert.deepEqual(groups.map((g) => g.label), ['Threads', 'asyncio', 'Processes']);
  const unsupported = groups.flatMap((g) => g.entries).filter((e) => !e.supported).map((e) => e.pattern.key);
  assert.deepEqual(unsupported, ['asyncio-taskgroup', 'asyncio-timeout']);
  assert.ok(groupPatterns(patterns, '3.12').every((g) => g.entries.every((e) => e.supported)));
});

/** Runs "Insert Pattern" on `text` with the cursor at the `|`; placeholders stay unexpanded. */
function insertAtBar(textWithBar: string, key: string, body = 'def BODY'): string {
  const pattern = patterns.find((p) => p.key === key)!;
  const [before, after = ''] = textWithBar.split('|');
  const anchor = textWithBar.indexOf('|');
  const text = before + after;
  const plan = planPatternInsert(text, { ...pattern, body }, anchor, anchor);
  const withImports = applyInsertions(text, plan.imports);
  return withImports.slice(0, plan.start) + plan.snippet + withImports.slice(plan.end);
}

test('insert pattern: imports above, the body where the cursor is', () => {
  assert.equal(insertAtBar('|', 'asyncio-run'), 'import asyncio\n\n\ndef BODY');
  assert.equal(insertAtBar('"""Doc."""\n|', 'asyncio-run'), '"""Doc."""\n\nimport asyncio\n\n\ndef BODY');
  assert.equal(insertAtBar('import os\n\n\n|\n', 'asyncio-run'), 'import os\nimport asyncio\n\n\ndef BODY\n');
  assert.equal(insertAtBar('import asyncio\n\n\n|', 'asyncio-run'), 'import asyncio\n\n\ndef BODY');
  assert.equal(insertAtBar('x = 1|\ny = 2\n', 'asyncio-run'), 'import asyncio\n\nx = 1\ndef BODY\ny = 2\n');
  assert.equal(insertAtBar('x = 1\n|', 'asyncio-run'), 'import asyncio\n\nx = 1\ndef BODY');
  assert.equal(insertAtBar('x = 1\r\n|', 'asyncio-run'), 'import asyncio\r\n\r\nx = 1\r\ndef BODY');
  assert.equal(insertAtBar('|', 'threads-queue', 'STOP = object()'), 'import logging\nimport queue\nimport threading\nimport time\n\nSTOP = object()');
});

test('insert pattern: a selection is replaced', () => {
  const pattern = patterns.find((p) => p.key === 'asyncio-run')!;
  const text = 'import asyncio\n\nOLD\n';
  const plan = planPatternInsert(text, { ...pattern, body: 'NEW' }, text.indexOf('OLD') + 3, text.indexOf('OLD'));
  assert.deepEqual(plan.imports, []);
  assert.equal(text.slice(0, plan.start) + plan.snippet + text.slice(plan.end), 'import asyncio\n\nNEW\n');
});

// ---------------------------------------------------------------- Python checks

function problemNodes(node: Node, found: string[] = []): string[] {
  if (node.isError || node.isMissing) {
    found.push(`${node.isMissing ? 'MISSING' : 'ERROR'} ${node.type} at ${node.startPosition.row + 1}:${node.startPosition.column + 1}`);
  }
  for (const child of node.children) if (child) problemNodes(child, found);
  return found;
}

test('expanded snippets parse without ERROR or MISSING nodes', async () => {
  const parser = await createParser();
  try {
    for (const { pattern, text } of expanded) {
      const tree = parser.parse(text);
      assert.ok(tree, pattern.key);
      try {
        assert.deepEqual(problemNodes(mirrorOf(tree, text)), [], `${pattern.key}:\n${text}`);
      } finally {
        tree.delete();
      }
    }
  } finally {
    parser.delete();
  }
});

interface RunResult { code: number | null; signal: string | null; stdout: string; stderr: string }

function run(file: string, args: string[], cwd: string, timeout: number): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, timeout, killSignal: 'SIGKILL', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, signal: error?.signal ?? null, stdout, stderr });
    });
  });
}

async function installedPython(): Promise<string | undefined> {
  const probe = await run('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], os.tmpdir(), 10_000).catch(() => undefined);
  return probe && probe.code === 0 ? probe.stdout.trim() : undefined;
}

test('expanded snippets run under python3', async (t) => {
  const python = await installedPython();
  if (!python) {
    t.skip('python3 not found');
    return;
  }
  const dir = tempTree('pcc-snippets-');
  try {
    for (const { pattern, text } of expanded) {
      await t.test(`${pattern.prefix} (Python ${pattern.minPython}+)`, async (st) => {
        if (!versionAtLeast(python, pattern.minPython)) {
          st.skip(`needs Python ${pattern.minPython}, found ${python}; syntax checked only`);
          return;
        }
        const file = path.join(dir, `${pattern.key.replace(/-/g, '_')}.py`);
        fs.writeFileSync(file, text);
        const result = await run('python3', [file], dir, 20_000);
        assert.equal(result.signal, null, `${pattern.key} timed out or was killed`);
        assert.equal(result.code, 0, `${pattern.key} failed:\n${result.stderr}`);
        assert.equal(result.stderr, '', `${pattern.key} wrote to stderr (a logged worker error?)`);
      });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('process patterns also run under the spawn start method (Windows, macOS, Linux from 3.14)', async (t) => {
  const python = await installedPython();
  if (!python) {
    t.skip('python3 not found');
    return;
  }
  const dir = tempTree('pcc-spawn-');
  try {
    for (const { pattern, text } of expanded.filter((e) => e.pattern.model === 'processes')) {
      // Children re-import the file as __mp_main__: only the main guard keeps them from starting more work.
      const file = path.join(dir, `${pattern.key.replace(/-/g, '_')}.py`);
      fs.writeFileSync(file, `import multiprocessing as _mp\n_mp.set_start_method("spawn", force=True)\n${text}`);
      const result = await run('python3', [file], dir, 20_000);
      assert.equal(result.signal, null, `${pattern.key} timed out or was killed`);
      assert.equal(result.code, 0, `${pattern.key} failed under spawn:\n${result.stderr}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
