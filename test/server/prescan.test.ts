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
import { ModuleIndex } from '../../server/src/semantic/module';
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

/**
 * Code that reaches a rule's finding without the obvious words: aliased and `from` imports,
 * subclasses, `get_context()`, executors, and notebook cells whose imports are in another cell.
 * Each case must have its finding with and without the gate; the CLI's prescan must let it in.
 */
const ROUNDABOUT: { code: string; text: string; otherCell?: string }[] = [
  { code: 'PCC201', text: 'from threading import Thread as T\n\ndef main():\n    t = T(target=print)\n    t.start()\n' },
  { code: 'PCC201', text: 'import threading as th\n\nclass W(th.Thread):\n    pass\n\ndef main():\n    w = W()\n    w.start()\n' },
  { code: 'PCC201', text: 'import multiprocessing as mp\n\ndef main():\n    ctx = mp.get_context("spawn")\n    p = ctx.Process(target=print)\n    p.start()\n' },
  { code: 'PCC201', otherCell: 'from threading import Thread as T\n', text: 'def main():\n    t = T(target=print)\n    t.start()\n' },
  { code: 'PCC202', text: 'from concurrent.futures import ThreadPoolExecutor as E\n\nwith E() as ex:\n    ex.submit(print("x"))\n' },
  { code: 'PCC202', text: 'from asyncio import to_thread as tt\n\nasync def f():\n    await tt(print("x"))\n' },
  { code: 'PCC202', text: 'import _thread\n\n_thread.start_new_thread(print("x"), ())\n' },
  { code: 'PCC202', otherCell: 'import multiprocessing.pool as mpp\n', text: 'with mpp.ThreadPool() as p:\n    p.apply_async(print("x"))\n' },
  { code: 'PCC203', text: 'from multiprocessing import get_context\n\nctx = get_context()\np = ctx.Process(target=print, args=("ab"))\n' },
  { code: 'PCC204', text: 'import threading as th\n\nclass W(th.Thread):\n    pass\n\nw = W()\nw.run()\n' },
  { code: 'PCC205', otherCell: 'import threading as th\n', text: 't = th.Thread(target=print)\nt.start()\nt.start()\n' },
  { code: 'PCC206', text: 'from threading import Thread as T\n\nT(print)\n' },
  { code: 'PCC207', text: 'from multiprocessing.pool import ThreadPool as TP\n\ndef count(n):\n    total = 0\n    for i in range(n):\n        total += i * i\n    return total\n\nwith TP() as p:\n    p.map(count, [1, 2])\n' },
  { code: 'PCC208', text: 'import asyncio\n\ncounter = 0\n\ndef work():\n    global counter\n    counter += 1\n\nasync def main(loop):\n    for _ in range(3):\n        await loop.run_in_executor(None, work)\n' },
  { code: 'PCC209', text: 'from threading import currentThread as ct\n\nct()\n' },
  { code: 'PCC209', otherCell: 'import threading as th\n', text: 'e = th.Event()\ne.isSet()\n' },
  { code: 'PCC301', text: 'from _thread import allocate_lock as al\n\nlock = al()\n\ndef f():\n    lock.acquire()\n    print(1)\n' },
  { code: 'PCC301', text: 'import multiprocessing\n\nctx = multiprocessing.get_context()\nlock = ctx.Lock()\n\ndef f():\n    lock.acquire()\n    print(1)\n' },
  { code: 'PCC302', text: 'import threading as th\n\ndef f():\n    with th.Semaphore():\n        pass\n' },
  { code: 'PCC302', text: 'from asyncio import Lock as AL\n\nasync def f():\n    async with AL():\n        pass\n' },
  { code: 'PCC303', otherCell: 'from threading import Lock as L\n', text: 'a = L()\nb = L()\n\ndef f():\n    with a:\n        with b:\n            pass\n\ndef g():\n    with b:\n        with a:\n            pass\n' },
  { code: 'PCC304', text: 'import asyncio\nimport threading as th\n\ndef worker(loop):\n    loop.call_soon(print, 1)\n\nasync def main():\n    th.Thread(target=worker, args=(asyncio.get_running_loop(),)).start()\n' },
  { code: 'PCC401', text: 'from multiprocessing import Pool as P\n\np = P(2)\n' },
  { code: 'PCC402', text: 'from concurrent.futures import ProcessPoolExecutor as PPE\n\ndef main():\n    with PPE() as ex:\n        ex.submit(lambda: 1)\n' },
  { code: 'PCC403', text: 'from multiprocessing.pool import ThreadPool as TP\n\ndef f():\n    p = TP(2)\n    p.map(print, [1])\n' },
  { code: 'PCC404', otherCell: 'import concurrent.futures as cf\n', text: 'def f():\n    with cf.ThreadPoolExecutor() as ex:\n        ex.submit(print, 1)\n' },
  { code: 'PCC101', text: 'from time import sleep as zz\n\nasync def f():\n    zz(1)\n' },
  { code: 'PCC102', text: 'import urllib.request as ur\n\nasync def f():\n    ur.urlopen("x")\n' },
  { code: 'PCC103', text: 'import os\n\nasync def f():\n    os.system("x")\n' },
  { code: 'PCC104', text: 'async def f():\n    open("x")\n' },
  { code: 'PCC105', text: 'async def f():\n    input()\n' },
  { code: 'PCC106', text: 'import queue as qu\n\nq = qu.Queue()\n\nasync def f():\n    q.get()\n' },
  { code: 'PCC111', text: 'import asyncio as aio\n\nasync def g():\n    pass\n\nasync def f():\n    aio.ensure_future(g())\n' },
  { code: 'PCC112', text: 'from asyncio import run as go\n\nasync def g():\n    pass\n\nasync def f():\n    go(g())\n' },
  { code: 'PCC114', text: 'from trio import sleep as nap\n\nasync def f():\n    while True:\n        await nap(1)\n' },
  { code: 'PCC115', text: 'import asyncio\n\nasync def f():\n    try:\n        await asyncio.sleep(1)\n    except asyncio.CancelledError:\n        pass\n' },
  { code: 'PCC116', otherCell: 'import asyncio\n', text: 'lock = asyncio.Lock()\n\ndef f():\n    with lock:\n        pass\n' },
  { code: 'PCC116', text: 'import contextlib as cl\n\n@cl.asynccontextmanager\nasync def cm():\n    yield\n\ndef g():\n    with cm():\n        pass\n' },
  { code: 'PCC117', text: 'import asyncio as aio\n\nasync def f():\n    aio.get_event_loop()\n' },
  { code: 'PCC119', text: 'import asyncio\n\nasync def g():\n    pass\n\nasync def f():\n    _ = await asyncio.gather(g(), return_exceptions=True)\n' },
];

test('rules with required words still find what roundabout code makes them find', async () => {
  const parser = await getParser();
  for (const { code, text, otherCell } of ROUNDABOUT) {
    const config = configFor(undefined, otherCell !== undefined);
    let options = config.options;
    if (otherCell !== undefined) {
      const cell = parser.parse(parserText(otherCell))!;
      options = { ...options, sharedImports: new ModuleIndex(otherCell, mirrorOf(cell, otherCell)).imports };
      cell.delete();
    }
    const tree = parser.parse(parserText(text))!;
    try {
      const root = mirrorOf(tree, text);
      const everything = analyzeTree(text, root, config.selection, options, RULES, false);
      assert.ok(everything.findings.some((f) => f.code === code), `${code} finds nothing in:\n${text}`);
      const gated = analyzeTree(text, root, config.selection, options, RULES, true);
      assert.deepEqual(gated.findings, everything.findings, `${code}: skipping rules by their words changed the findings in:\n${text}`);
      if (otherCell === undefined) assert.ok(mayReportInCode(text, RULES, (c) => c === code), `${code}: the prescan skips:\n${text}`);
    } finally {
      tree.delete();
    }
  }
});
