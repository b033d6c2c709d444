// Exact ranges on lines with emoji, CJK, combining characters and astral letters: diagnostics, hovers and
// fixes in UTF-16 code units (LSP), with every line ending; the CLI's columns in code points.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Range } from 'vscode-languageserver-types';
import { LspClient, CLI, applyWorkspaceEdit } from './lspClient';
import { analyze } from './helpers';

// Before each flagged call: a ZWJ family (8 code units, 5 code points), CJK, e + combining acute, an astral letter.
const PREFIX = '"👨‍👩‍👧 世界 e\u0301 𝔘"';
const LINES = [
  'import asyncio, threading, time',
  'lock = threading.Lock()',
  '',
  'async def poll():',
  `    s = ${PREFIX}; time.sleep(1)  # 😀`,
  '    await asyncio.sleep(0)',
  '',
  'def g():',
  `    lock.acquire()  # ${PREFIX}`,
  `    print(${PREFIX})`,
  '    lock.release()',
  '',
];

function textWith(eol: string): string {
  return LINES.join(eol);
}

/** The range of `needle` on `line`, in UTF-16 code units. */
function rangeOfText(line: number, needle: string): Range {
  const character = LINES[line].indexOf(needle);
  assert.ok(character >= 0, needle);
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

const SLEEP = rangeOfText(4, 'time.sleep(1)');

let client: LspClient;
before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

test('in-process: the diagnostics cover exactly the flagged code', async () => {
  const findings = await analyze(textWith('\n'));
  const sleep = findings.find((f) => f.code === 'PCC101');
  assert.deepEqual(sleep?.range, SLEEP);
  assert.equal(SLEEP.start.character, 29, '4 spaces + "s = " + a 19-unit string + "; "');
  const acquire = findings.find((f) => f.code === 'PCC301');
  assert.ok(acquire);
  assert.equal(LINES[acquire.range.start.line].slice(acquire.range.start.character, acquire.range.end.character), 'lock.acquire()');
});

for (const [name, eol] of [['LF', '\n'], ['CRLF', '\r\n'], ['lone CR', '\r']] as const) {
  test(`over LSP with ${name} line endings: diagnostic, hover and fix ranges are exact, and fixes give the expected text`, async () => {
    const uri = `file:///tmp/ranges/${name.replace(' ', '-')}.py`;
    const text = textWith(eol);
    const diagnostics = await client.open(uri, text);
    const sleep = diagnostics.find((d) => d.code === 'PCC101')!;
    assert.deepEqual(sleep.range, SLEEP);

    // Hover on `sleep`: the coaching for time.sleep, for exactly that word.
    const sleepWord = rangeOfText(4, 'sleep(1)');
    const hover = await client.hover(uri, { line: 4, character: sleepWord.start.character + 2 });
    assert.ok(hover && hover.range);
    assert.equal(LINES[4].slice(hover.range.start.character, hover.range.end.character), 'sleep');
    assert.deepEqual(hover.range, { start: sleepWord.start, end: { line: 4, character: sleepWord.start.character + 5 } });
    // The code just before the call (inside the string of emoji) is not the flagged range.
    const before = await client.hover(uri, { line: 4, character: SLEEP.start.character - 3 });
    assert.ok(!before || !JSON.stringify(before).includes('PCC101'));

    const actions = await client.codeActions(uri, sleep.range, [sleep]);
    const fix = actions.find((a) => a.title.startsWith('Replace with `await asyncio.sleep'))!;
    assert.equal(applyWorkspaceEdit(text, uri, fix.edit), text.replace('time.sleep(1)', 'await asyncio.sleep(1)'));
    const noqa = actions.find((a) => a.title === 'Disable PCC101 for this line')!;
    assert.equal(applyWorkspaceEdit(text, uri, noqa.edit), text.replace('time.sleep(1)  # 😀', 'time.sleep(1)  # 😀  # noqa: PCC101'));

    const acquire = diagnostics.find((d) => d.code === 'PCC301')!;
    assert.deepEqual(acquire.range, rangeOfText(8, 'lock.acquire()'));
    const withFix = (await client.codeActions(uri, acquire.range, [acquire])).find((a) => a.isPreferred)!;
    const fixed = applyWorkspaceEdit(text, uri, withFix.edit);
    assert.equal(fixed, text.replace(
      [`    lock.acquire()  # ${PREFIX}`, `    print(${PREFIX})`, '    lock.release()'].join(eol),
      [`    with lock:  # ${PREFIX}`, `        print(${PREFIX})`].join(eol),
    ));
    // The fixed text, opened again, has no PCC301 left and its PCC101 at the same place.
    const again = await client.open(`${uri}.fixed.py`, fixed);
    assert.deepEqual(again.filter((d) => d.code === 'PCC301'), []);
    assert.deepEqual(again.find((d) => d.code === 'PCC101')?.range, SLEEP);
  });
}

test('an edit inside the emoji string moves the diagnostic by the right number of code units', async () => {
  const uri = 'file:///tmp/ranges/edit.py';
  await client.open(uri, textWith('\n'));
  // Insert an astral character (2 code units) before the family emoji, then delete the combining accent (1 unit).
  const at = LINES[4].indexOf('👨');
  const moved = await client.change(uri, 2, [{ range: { start: { line: 4, character: at }, end: { line: 4, character: at } }, text: '𝔘' }]);
  assert.deepEqual(moved!.find((d) => d.code === 'PCC101')!.range.start, { line: 4, character: SLEEP.start.character + 2 });
  const accent = LINES[4].indexOf('\u0301') + 2;
  const back = await client.change(uri, 3, [{ range: { start: { line: 4, character: accent }, end: { line: 4, character: accent + 1 } }, text: '' }]);
  assert.deepEqual(back!.find((d) => d.code === 'PCC101')!.range, {
    start: { line: 4, character: SLEEP.start.character + 1 }, end: { line: 4, character: SLEEP.end.character + 1 },
  });
});

test('CLI: columns count code points on the same lines', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-ranges-'));
  try {
    fs.writeFileSync(path.join(dir, 'emoji.py'), textWith('\r\n'));
    const run = spawnSync(process.execPath, [CLI, 'check', dir, '--format', 'json', '--no-progress'], { encoding: 'utf8' });
    const findings = JSON.parse(run.stdout) as { code: string; line: number; column: number; endColumn: number }[];
    const sleep = findings.find((f) => f.code === 'PCC101')!;
    const codePoints = (s: string) => [...s].length;
    assert.equal(sleep.line, 5);
    assert.equal(sleep.column, codePoints(LINES[4].slice(0, SLEEP.start.character)) + 1);
    assert.equal(sleep.endColumn, sleep.column + 'time.sleep(1)'.length);
    assert.equal(sleep.column, 26, '29 code units before it, but the family emoji is 5 code points in 8 units and 𝔘 one in two');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
