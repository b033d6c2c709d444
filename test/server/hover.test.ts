// Hover over LSP: API coaching text, the assumed Python, rule sections on flagged ranges, noqa codes.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, MarkupContent, Position, Range } from 'vscode-languageserver-types';
import { LspClient } from './lspClient';
import { API_CATALOG, KEYWORD_KEYS } from '../../server/src/coaching/apis';
import { tempTree } from './tempDirs';

let client: LspClient;
let seq = 0;
const tempDirs: string[] = [];

// Only PCC101 runs, so rules added meanwhile do not put their sections on top of the API hovers tested here.
const SETTINGS = { select: ['PCC101'] };

before(async () => {
  client = await LspClient.start({ settings: SETTINGS });
});
after(async () => {
  await client.stop();
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** An untitled document: no pyproject.toml is looked up for it. */
function untitled(): string {
  return `untitled:Hover-${++seq}`;
}

function tempDir(): string {
  const dir = tempTree('pcc-hover-');
  tempDirs.push(dir);
  return dir;
}

function markdown(hover: Hover | null): string {
  assert.ok(hover, 'expected a hover');
  const contents = hover.contents as MarkupContent;
  assert.equal(contents.kind, 'markdown');
  return contents.value;
}

/** The position of the `nth` occurrence of `needle` on its line, plus `offset` characters. */
function at(text: string, needle: string, offset = 0, nth = 0): Position {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = text.indexOf(needle, index + 1);
  assert.ok(index >= 0, `${needle} not in the text`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length + offset };
}

function rangeOf(text: string, needle: string, nth = 0): Range {
  const start = at(text, needle, 0, nth);
  return { start, end: { line: start.line, character: start.character + needle.length } };
}

async function hoverText(text: string, needle: string, offset = 1, nth = 0, c = client, uri = untitled()): Promise<{ value: string; range: Range | undefined }> {
  await c.open(uri, text);
  const hover = await c.hover(uri, at(text, needle, offset, nth));
  return { value: markdown(hover), range: hover?.range };
}

const title = (value: string) => value.split('\n')[0];
const DEFAULT_ASSUMPTION = '_Assuming Python 3.12 (default build, with the GIL), the default; set concurrencyCoach.pythonVersion or requires-python in pyproject.toml._';

test('threading, queue, multiprocessing, concurrent.futures, asyncio, time.sleep: title, model, docs link', async () => {
  const text = [
    'import threading, queue, multiprocessing, asyncio, time',
    'import concurrent.futures',
    't = threading.Thread(target=print)',
    'q = queue.Queue()',
    'p = multiprocessing.Pool()',
    'e = concurrent.futures.ThreadPoolExecutor()',
    'g = asyncio.gather()',
    'time.sleep(1)',
    '',
  ].join('\n');
  const cases: [string, string, string][] = [
    ['Thread(', '**`threading.Thread`** — Thread · _threads_', 'https://docs.python.org/3/library/threading.html#threading.Thread'],
    ['Queue(', '**`queue.Queue`** — Queue (threads) · _threads_', 'https://docs.python.org/3/library/queue.html#queue.Queue'],
    ['Pool(', '**`multiprocessing.Pool`** — Process pool · _processes_', 'https://docs.python.org/3/library/multiprocessing.html#multiprocessing.pool.Pool'],
    ['ThreadPoolExecutor(', '**`concurrent.futures.ThreadPoolExecutor`** — Thread pool · _threads_', 'https://docs.python.org/3/library/concurrent.futures.html#concurrent.futures.ThreadPoolExecutor'],
    ['gather(', '**`asyncio.gather`** — Gather results · _asyncio_', 'https://docs.python.org/3/library/asyncio-task.html#asyncio.gather'],
    ['sleep(', '**`time.sleep`** — Blocking sleep · _any model_', 'https://docs.python.org/3/library/time.html#time.sleep'],
  ];
  const uri = untitled();
  await client.open(uri, text);
  for (const [needle, expectedTitle, docs] of cases) {
    const hover = await client.hover(uri, at(text, needle, 1));
    const value = markdown(hover);
    assert.equal(title(value), expectedTitle, needle);
    assert.ok(value.includes(`[Python docs](${docs})`), `${needle}: docs link`);
    assert.ok(value.endsWith(DEFAULT_ASSUMPTION), `${needle}: assumption`);
    const word = needle.slice(0, -1);
    assert.deepEqual(hover!.range, rangeOf(text, word), `${needle}: range`);
  }
  // The module part of a chain explains the whole chain.
  const hover = await client.hover(uri, at(text, 'concurrent.futures.Thread', 2));
  assert.equal(title(markdown(hover)), '**`concurrent.futures.ThreadPoolExecutor`** — Thread pool · _threads_');
  assert.deepEqual(hover!.range, rangeOf(text, 'concurrent', 1));
});

test('the async keyword of async def and await', async () => {
  const text = 'import asyncio\n\nasync def main():\n    await asyncio.sleep(1)\n';
  const uri = untitled();
  await client.open(uri, text);
  const onAsync = await client.hover(uri, at(text, 'async def', 2));
  assert.equal(title(markdown(onAsync)), '**`async def`** · _asyncio_');
  assert.ok(markdown(onAsync).includes('[Python docs](https://docs.python.org/3/reference/compound_stmts.html#async-def)'));
  assert.deepEqual(onAsync!.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } });
  const onAwait = await client.hover(uri, at(text, 'await', 0));
  assert.equal(title(markdown(onAwait)), '**`await`** · _asyncio_');
  assert.ok(markdown(onAwait).includes('[Python docs](https://docs.python.org/3/reference/expressions.html#await)'));
  assert.deepEqual(onAwait!.range, rangeOf(text, 'await'));
  assert.equal(await client.hover(uri, at(text, 'def', 1)), null);
});

test('aliased imports resolve: TPE, aio.gather (either part), from threading import Lock as L', async () => {
  const text = [
    'from concurrent.futures import ThreadPoolExecutor as TPE',
    'import asyncio as aio',
    'from threading import Lock as L',
    '',
    'pool = TPE(max_workers=2)',
    'results = aio.gather()',
    'lock = L()',
    '',
  ].join('\n');
  const uri = untitled();
  await client.open(uri, text);
  const tpe = await client.hover(uri, at(text, 'TPE(', 1));
  assert.equal(title(markdown(tpe)), '**`TPE` → `concurrent.futures.ThreadPoolExecutor`** — Thread pool · _threads_');
  assert.deepEqual(tpe!.range, rangeOf(text, 'TPE', 1));
  for (const [needle, offset] of [['aio.gather', 1], ['gather()', 3]] as const) {
    const hover = await client.hover(uri, at(text, needle, offset));
    assert.equal(title(markdown(hover)), '**`aio.gather` → `asyncio.gather`** — Gather results · _asyncio_', needle);
  }
  const lock = await client.hover(uri, at(text, 'L()', 0));
  assert.equal(title(markdown(lock)), '**`L` → `threading.Lock`** — Lock · _threads_');
  assert.ok(markdown(lock).includes('[Python docs](https://docs.python.org/3/library/threading.html#threading.Lock)'));
  // Names in the import statements themselves.
  const imported = await client.hover(uri, at(text, 'ThreadPoolExecutor as', 3));
  assert.equal(title(markdown(imported)), '**`ThreadPoolExecutor` → `concurrent.futures.ThreadPoolExecutor`** — Thread pool · _threads_');
  const alias = await client.hover(uri, at(text, 'aio', 1));
  assert.equal(title(markdown(alias)), '**`aio` → `asyncio`** — asyncio · _asyncio_');
});

test('a name that shadows an import, or an attribute merely named like one, gets no API hover', async () => {
  const text = [
    'from threading import Lock',
    'import asyncio',
    '',
    'def make(Lock):',
    '    return Lock()',
    '',
    'def other():',
    '    asyncio = object()',
    '    asyncio.gather()',
    '',
    'class Box:',
    '    def f(self):',
    '        return self.Lock(Lock=1)',
    '',
  ].join('\n');
  const uri = untitled();
  await client.open(uri, text);
  assert.equal(await client.hover(uri, at(text, 'Lock()', 1)), null);
  assert.equal(await client.hover(uri, at(text, 'gather', 1)), null);
  assert.equal(await client.hover(uri, at(text, 'self.Lock', 6)), null);
  assert.equal(await client.hover(uri, at(text, 'Lock=1', 1)), null);
  // The import itself is still explained.
  assert.equal(title(markdown(await client.hover(uri, at(text, 'Lock', 1)))), '**`Lock` → `threading.Lock`** — Lock · _threads_');
});

test('loop methods: loop.run_in_executor on a loop from get_running_loop, a parameter, or self', async () => {
  const text = [
    'import asyncio',
    '',
    'async def main(ev: asyncio.AbstractEventLoop):',
    '    loop = asyncio.get_running_loop()',
    '    await loop.run_in_executor(None, print)',
    '    await asyncio.get_running_loop().run_in_executor(None, print)',
    '    await ev.run_in_executor(None, print)',
    '',
    'class C:',
    '    def __init__(self):',
    '        self._loop = asyncio.new_event_loop()',
    '    def go(self):',
    '        self._loop.run_in_executor(None, print)',
    '',
    'def plain(x):',
    '    x.run_in_executor(None, print)',
    '',
  ].join('\n');
  const uri = untitled();
  await client.open(uri, text);
  const expected = [
    '**`loop.run_in_executor` → `asyncio.AbstractEventLoop.run_in_executor`** — loop.run_in_executor · _asyncio_',
    '**`asyncio.get_running_loop().run_in_executor` → `asyncio.AbstractEventLoop.run_in_executor`** — loop.run_in_executor · _asyncio_',
    '**`ev.run_in_executor` → `asyncio.AbstractEventLoop.run_in_executor`** — loop.run_in_executor · _asyncio_',
    '**`self._loop.run_in_executor` → `asyncio.AbstractEventLoop.run_in_executor`** — loop.run_in_executor · _asyncio_',
  ];
  for (let i = 0; i < expected.length; i++) {
    const hover = await client.hover(uri, at(text, 'run_in_executor', 4, i));
    assert.equal(title(markdown(hover)), expected[i]);
    assert.deepEqual(hover!.range, rangeOf(text, 'run_in_executor', i));
  }
  assert.equal(await client.hover(uri, at(text, 'run_in_executor', 4, 4)), null);
});

test('every API in the catalog has a hover where it is written, with its docs link', async () => {
  const lines = ['import threading, queue, multiprocessing, asyncio, time', 'import concurrent.futures', ''];
  const probes: { name: string; needle: string; nth: number }[] = [];
  const count = new Map<string, number>();
  const probe = (name: string, needle: string) => {
    const nth = count.get(needle) ?? 0;
    count.set(needle, nth + 1);
    probes.push({ name, needle, nth });
  };
  for (const name of Object.keys(API_CATALOG)) {
    if (name === KEYWORD_KEYS.async || name === KEYWORD_KEYS.await) continue;
    if (name === 'asyncio.AbstractEventLoop.run_in_executor') {
      lines.push('loop = asyncio.new_event_loop()', 'loop.run_in_executor(None, print)');
      probe(name, 'run_in_executor');
      continue;
    }
    lines.push(`_ = ${name}`);
    probe(name, `_ = ${name}\n`);
  }
  lines.push('async def f():', '    await f()', '');
  probe(KEYWORD_KEYS.async, 'async def f');
  probe(KEYWORD_KEYS.await, 'await f');
  const text = lines.join('\n');
  const uri = untitled();
  await client.open(uri, text);
  assert.equal(probes.length, Object.keys(API_CATALOG).length);
  for (const { name, needle, nth } of probes) {
    const entry = API_CATALOG[name];
    // The last character of the name as written.
    const offset = needle.startsWith('_ = ') ? needle.length - 2 : 1;
    const value = markdown(await client.hover(uri, at(text, needle, offset, nth)));
    const shown = name.startsWith('keyword:') ? entry.title : `\`${name}\``;
    assert.ok(title(value).includes(shown), `${name}: ${title(value)}`);
    assert.ok(value.includes(`[Python docs](${entry.docsUrl})`), `${name}: docs link`);
  }
});

test('the Python assumed comes from the pythonVersion setting, with freeThreaded', async () => {
  const text = 'import asyncio\nasync def main():\n    async with asyncio.TaskGroup() as tg:\n        pass\n';
  const settings = await LspClient.start({ settings: { ...SETTINGS, pythonVersion: '3.13', freeThreaded: true } });
  try {
    const { value } = await hoverText(text, 'TaskGroup', 1, 0, settings);
    assert.ok(value.endsWith('_Assuming Python 3.13 (experimental free-threaded build), from the concurrencyCoach.pythonVersion setting._'), value);
    assert.ok(value.includes('_Needs Python 3.11+._'));
    await settings.changeConfiguration({ ...SETTINGS, pythonVersion: '3.10' });
    const { value: older } = await hoverText(text, 'TaskGroup', 1, 0, settings);
    assert.ok(older.includes('⚠️ **Needs Python 3.11+**, but Python 3.10 is assumed'), older);
    assert.ok(older.endsWith('_Assuming Python 3.10 (default build, with the GIL), from the concurrencyCoach.pythonVersion setting._'));
  } finally {
    await settings.stop();
  }
});

test('the Python assumed comes from requires-python in the nearest pyproject.toml; TaskGroup warns on 3.10', async () => {
  const root = tempDir();
  const pkg = path.join(root, 'src', 'pkg');
  fs.mkdirSync(pkg, { recursive: true });
  const pyproject = path.join(root, 'pyproject.toml');
  fs.writeFileSync(pyproject, '[project]\nname = "demo"\nrequires-python = ">=3.10"\n');
  const uri = pathToFileURL(path.join(pkg, 'main.py')).toString();
  const text = 'import asyncio\nasync def main():\n    async with asyncio.TaskGroup() as tg:\n        pass\n';
  const { value } = await hoverText(text, 'TaskGroup', 1, 0, client, uri);
  assert.equal(title(value), '**`asyncio.TaskGroup`** — Task group · _asyncio_');
  assert.ok(value.includes('⚠️ **Needs Python 3.11+**, but Python 3.10 is assumed: this raises AttributeError (or ImportError) there.'));
  assert.ok(value.endsWith('_Assuming Python 3.10 (default build, with the GIL), from requires-python in pyproject.toml._'), value);
  // An edited pyproject.toml is read again.
  fs.writeFileSync(pyproject, '[project]\nname = "demo"\nrequires-python = "~=3.11.2"\n');
  const { value: after } = await hoverText(text, 'TaskGroup', 1, 0, client, uri);
  assert.ok(after.includes('_Needs Python 3.11+._'));
  assert.ok(after.endsWith('_Assuming Python 3.11 (default build, with the GIL), from requires-python in pyproject.toml._'), after);
});

test('a broken pyproject.toml is reported with its line, and the default is assumed', async () => {
  const root = tempDir();
  fs.writeFileSync(path.join(root, 'pyproject.toml'), '[project]\nrequires-python = >=3.10\n');
  const uri = pathToFileURL(path.join(root, 'broken.py')).toString();
  const { value } = await hoverText('import time\ntime.sleep(1)\n', 'sleep', 1, 0, client, uri);
  assert.ok(value.endsWith(DEFAULT_ASSUMPTION), value);
  const message = await client.waitFor(() => client.messages.find((m) => m.message.includes(path.join(root, 'pyproject.toml'))));
  assert.equal(message.message, `Python Concurrency Coach: pyproject.toml line 2: invalid value (${path.join(root, 'pyproject.toml')}); its settings are ignored.`);
});

test('the default Python is 3.12, and the hover says so', async () => {
  const { value } = await hoverText('import threading\nthreading.Thread()\n', 'Thread', 1);
  assert.ok(value.endsWith(DEFAULT_ASSUMPTION), value);
  assert.ok(value.includes('Threads take turns holding the GIL'), value);
  assert.ok(!value.includes('Needs Python'));
});

const FLAGGED = 'import time\n\nasync def poll():\n    time.sleep(1)  # 😀\n';

test('a flagged range shows the rule (What it does, Why is this bad?, Use instead, docs link) before the API', async () => {
  const uri = untitled();
  const [d] = await client.open(uri, FLAGGED);
  assert.equal(d.code, 'PCC101');
  const onApi = await client.hover(uri, at(FLAGGED, 'sleep(1)', 1));
  const value = markdown(onApi);
  assert.equal(title(value), `**PCC101** \`blocking-sleep-in-async\`: ${d.message}`);
  const order = ['#### What it does', '#### Why is this bad?', '#### Use instead', '[Full documentation for PCC101](', '---', '**`time.sleep`** — Blocking sleep'];
  const positions = order.map((s) => value.indexOf(s));
  assert.ok(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1])), `sections in order: ${positions}`);
  assert.ok(!value.includes('#### Example') && !value.includes('Fix safety'));
  assert.match(value, /\[Full documentation for PCC101\]\(file:\/\/.*\/docs\/rules\/PCC101\.md\)/);
  assert.deepEqual(onApi!.range, rangeOf(FLAGGED, 'sleep'));
  // Off the API token but inside the flagged call: the rule alone, over the flagged range.
  const onArgument = await client.hover(uri, at(FLAGGED, '1)', 0));
  assert.ok(!markdown(onArgument).includes('**`time.sleep`**'));
  assert.deepEqual(onArgument!.range, d.range);
});

test('a rule code or name in a noqa comment shows the full rule page', async () => {
  const text = 'import time\n\nasync def poll():\n    time.sleep(1)  # noqa: PCC101\n    time.sleep(2)  # noqa: E501, blocking-sleep-in-async\n';
  const uri = untitled();
  const diagnostics = await client.open(uri, text);
  assert.deepEqual(diagnostics, []);
  for (const needle of ['PCC101', 'blocking-sleep-in-async']) {
    const hover = await client.hover(uri, at(text, needle, 2));
    const value = markdown(hover);
    assert.equal(title(value), '# PCC101: blocking-sleep-in-async');
    for (const heading of ['## What it does', '## Why is this bad?', '## Example', '## Use instead', '## Fix safety', '## References']) {
      assert.ok(value.includes(`\n${heading}\n`), `${needle}: ${heading}`);
    }
    assert.deepEqual(hover!.range, rangeOf(text, needle));
  }
  assert.equal(await client.hover(uri, at(text, 'E501', 1)), null);
  assert.equal(await client.hover(uri, at(text, 'noqa', 1)), null);
});

test('the range is exact in UTF-16 code units after emoji', async () => {
  const text = 'from concurrent.futures import ThreadPoolExecutor as TPE\ns = "😀é😀"; pool = TPE()\n';
  const { value, range } = await hoverText(text, 'TPE()', 2);
  assert.equal(title(value), '**`TPE` → `concurrent.futures.ThreadPoolExecutor`** — Thread pool · _threads_');
  // `s = "😀é😀"; pool = ` is 20 UTF-16 code units: each emoji counts two.
  assert.deepEqual(range, { start: { line: 1, character: 20 }, end: { line: 1, character: 23 } });
});

test('hover never fails: every position of a broken file, past the end, and unknown documents', async () => {
  const text = 'import asyncio as\nasync def (:\n    await\n  # noqa:\n\tx = asyncio.gather(\r\n😀 lock.\n';
  const uri = untitled();
  await client.open(uri, text);
  const lines = text.split(/\r?\n/);
  for (let line = 0; line <= lines.length + 1; line++) {
    for (let character = 0; character <= (lines[line]?.length ?? 0) + 2; character++) {
      await client.hover(uri, { line, character }); // rejects on a server error
    }
  }
  assert.equal(await client.hover('untitled:never-opened', { line: 0, character: 0 }), null);
  assert.equal(await client.hover(uri, { line: 9999, character: 0 }), null);
});
