// Any input, in-process and through the CLI: analysis never throws and no rule fails; edits, hovers and
// fixes on hostile text work; the CLI reads random bytes and invalid UTF-8, and always answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyzeText, fixText } from '../../server/src/engine';
import { analyzeTree } from '../../server/src/analysis';
import { PythonDocument } from '../../server/src/documents';
import { hoverAt } from '../../server/src/features/hover';
import { DEFAULT_PYTHON } from '../../server/src/pythonVersion';
import { Random } from './prng';
import { configFor, getParser } from './helpers';
import { CLI } from './lspClient';
import { halfTypedPrefixes, inputs, INVALID_UTF8, randomBytes, type Input } from './robustnessInputs';

function assertAnalyses(parser: Awaited<ReturnType<typeof getParser>>, input: Input): number {
  const result = analyzeText(parser, input.text, configFor());
  const failure = result.failures[0];
  assert.equal(failure, undefined, `${input.name}: rule ${failure?.code} threw: ${(failure?.error as Error)?.stack}`);
  return result.findings.length;
}

for (const input of inputs()) {
  test(`in-process: ${input.name}`, async (t) => {
    const parser = await getParser();
    const started = Date.now();
    const findings = assertAnalyses(parser, input);
    // As an open document: edits in the middle and at the end, re-analysed incrementally, equal a fresh analysis.
    const config = configFor();
    const doc = new PythonDocument('file:///robust.py', 1, input.text, parser);
    try {
      const rng = new Random(input.text.length);
      for (let v = 2; v < (input.big ? 3 : 12); v++) {
        const line = rng.int(0, doc.lineStarts.length - 1);
        const change = rng.chance(0.5)
          ? { range: { start: { line, character: rng.int(0, 6) }, end: { line, character: rng.int(0, 6) } }, text: rng.pick(['x', '(', '😀', '\n', '\r\n', '\r', '\t', ' time.sleep(1)', '"']) }
          : { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' };
        doc.applyChanges([change], v);
        const incremental = analyzeTree(doc.text, doc.syntax, config.selection, config.options);
        const fresh = analyzeText(parser, doc.text, config);
        assert.deepEqual(incremental, fresh, `${input.name}: after edit ${v - 1} ${JSON.stringify(change)}`);
      }
      // Hovers anywhere: on every line of small inputs, at random places in big ones.
      const positions = input.big
        ? Array.from({ length: 200 }, () => ({ line: rng.int(0, doc.lineStarts.length), character: rng.int(0, 40) }))
        : doc.lineStarts.flatMap((_, line) => [0, 1, 4, 5, 9, 15, 200].map((character) => ({ line, character })));
      const findingsNow = analyzeTree(doc.text, doc.syntax, config.selection, config.options).findings;
      for (const position of positions) hoverAt(doc, position, findingsNow, DEFAULT_PYTHON);
      hoverAt(doc, { line: -1, character: -1 }, findingsNow, DEFAULT_PYTHON);
      if (!input.big) {
        const fixed = fixText((text) => analyzeText(parser, text, config).findings, doc.text, true, 50);
        assertAnalyses(parser, { name: `${input.name} after fixes`, text: fixed.text });
      }
    } finally {
      doc.dispose();
    }
    t.diagnostic(`${input.name}: ${input.text.length} characters, ${findings} findings, ${Date.now() - started} ms`);
  });
}

test('in-process: half-typed code, every third prefix of a module', async () => {
  const parser = await getParser();
  for (const input of halfTypedPrefixes(3)) assertAnalyses(parser, input);
});

test('CLI: random bytes, invalid UTF-8, UTF-16, Latin-1 and every hostile input: exit 0 or 1, valid JSON, no rule failures', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-robust-cli-'));
  try {
    const files: Record<string, Buffer> = {
      'random1.py': randomBytes(11, 6000),
      'random2.py': randomBytes(12, 6000),
      'invalid_utf8.py': INVALID_UTF8,
      'utf16.py': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('import time\nasync def f():\n    time.sleep(1)\n', 'utf16le')]),
      'latin1.py': Buffer.from('# caf\u00e9\nimport time\nasync def f():\n    time.sleep(1)  # \u00e9\u00e8\n', 'latin1'),
      'nul.py': Buffer.from('import time\0\nasync def f():\n    time.sleep(1)\0\n'),
    };
    const big = new Set<string>();
    inputs().forEach((input, i) => {
      const name = `input${String(i).padStart(2, '0')}.py`;
      files[name] = Buffer.from(input.text, 'utf8');
      if (input.big) big.add(name);
    });
    for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);
    const started = Date.now();
    for (const format of ['json', 'sarif', 'text', 'github']) {
      // The big files once, as JSON; the other formats and --fix on the small ones.
      if (format === 'sarif') for (const name of big) fs.rmSync(path.join(dir, name));
      const run = spawnSync(process.execPath, [CLI, 'check', dir, '--format', format, '--no-progress'], { encoding: 'utf8', maxBuffer: 1 << 30 });
      assert.ok(run.status === 0 || run.status === 1, `${format}: exit ${run.status}\n${run.stderr}`);
      assert.doesNotMatch(run.stderr, /failed|Error|\n\s+at /, `${format}: ${run.stderr}`);
      if (format === 'json') {
        const findings = JSON.parse(run.stdout) as { file: string; line: number; column: number }[];
        assert.ok(findings.some((f) => f.file.endsWith('invalid_utf8.py')), 'findings in the invalid UTF-8 file');
        for (const name of big) assert.ok(findings.some((f) => f.file.endsWith(name)), `findings in ${name}`);
        assert.ok(findings.every((f) => f.line >= 1 && f.column >= 1));
      }
      if (format === 'sarif') JSON.parse(run.stdout);
    }
    // --fix (a big file would be re-analysed after each of its thousands of fixes): exit 0 or 1, every file still there, nothing failed.
    const fix = spawnSync(process.execPath, [CLI, 'check', dir, '--fix', '--unsafe-fixes', '--format', 'json', '--no-progress'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    assert.ok(fix.status === 0 || fix.status === 1, `--fix: exit ${fix.status}\n${fix.stderr}`);
    assert.doesNotMatch(fix.stderr, /failed|Error|\n\s+at /, fix.stderr);
    for (const name of Object.keys(files)) assert.ok(big.has(name) || fs.existsSync(path.join(dir, name)));
    t.diagnostic(`${Object.keys(files).length} files checked in 4 formats and fixed in ${Date.now() - started} ms`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('CLI: a FIFO named on the command line is refused at once instead of blocking; an empty --select runs every rule', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-robust-fifo-'));
  try {
    const fifo = path.join(dir, 'pipe.py');
    const made = spawnSync('mkfifo', [fifo]);
    if (made.status !== 0) {
      t.skip('no mkfifo here');
    } else {
      const run = spawnSync(process.execPath, [CLI, 'check', fifo], { encoding: 'utf8', timeout: 10_000 });
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, /cannot read .*pipe\.py: not a regular file/);
      fs.rmSync(fifo);
    }
    fs.writeFileSync(path.join(dir, 'a.py'), 'import time\nasync def f():\n    time.sleep(1)\n');
    const all = spawnSync(process.execPath, [CLI, 'check', dir, '--select', '', '--format', 'json'], { encoding: 'utf8' });
    assert.ok((JSON.parse(all.stdout) as { code: string }[]).some((f) => f.code === 'PCC101'), all.stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
