import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { API_CATALOG, lookupApi, lookupLoopMethod, resolveText } from '../../server/src/coaching/apis';
import {
  DEFAULT_PYTHON, describeAssumption, describeGil, PythonAssumption, versionAtLeast,
} from '../../server/src/coaching/gil';
import { renderApiHover } from '../../server/src/coaching/hoverText';

/** Every API the brief for issue 5 lists; each must have a catalog entry. */
const REQUIRED = [
  'threading', 'threading.Thread', 'threading.Lock', 'threading.RLock', 'threading.Condition',
  'threading.Semaphore', 'threading.BoundedSemaphore', 'threading.Event', 'threading.Barrier',
  'threading.Timer', 'threading.local',
  'queue', 'queue.Queue', 'queue.LifoQueue', 'queue.PriorityQueue', 'queue.SimpleQueue',
  'multiprocessing', 'multiprocessing.Process', 'multiprocessing.Pool', 'multiprocessing.Queue',
  'multiprocessing.Pipe', 'multiprocessing.Manager', 'multiprocessing.Value', 'multiprocessing.Array',
  'multiprocessing.Lock', 'multiprocessing.set_start_method', 'multiprocessing.get_start_method',
  'multiprocessing.get_context',
  'concurrent.futures', 'concurrent.futures.ThreadPoolExecutor', 'concurrent.futures.ProcessPoolExecutor',
  'concurrent.futures.InterpreterPoolExecutor', 'concurrent.futures.Future', 'concurrent.futures.as_completed',
  'concurrent.futures.wait',
  'asyncio', 'asyncio.run', 'asyncio.Runner', 'asyncio.gather', 'asyncio.create_task', 'asyncio.TaskGroup',
  'asyncio.wait', 'asyncio.wait_for', 'asyncio.timeout', 'asyncio.sleep', 'asyncio.to_thread',
  'asyncio.AbstractEventLoop.run_in_executor', 'asyncio.Queue', 'asyncio.Lock', 'asyncio.Semaphore',
  'asyncio.Event', 'asyncio.Condition', 'asyncio.shield', 'asyncio.as_completed',
  'asyncio.run_coroutine_threadsafe', 'asyncio.get_running_loop',
  'time.sleep', 'keyword:async', 'keyword:await',
];

/** Minimum versions newer than 3.9, checked against the Python docs (versionadded notes). */
const EXPECTED_SINCE: Record<string, string> = {
  'asyncio.Runner': '3.11',
  'asyncio.TaskGroup': '3.11',
  'asyncio.timeout': '3.11',
  'concurrent.futures.InterpreterPoolExecutor': '3.14',
};

const PY312: PythonAssumption = { version: '3.12', freeThreaded: false, source: 'pyproject' };
const PY313T: PythonAssumption = { version: '3.13', freeThreaded: true, source: 'setting' };
const PY314T: PythonAssumption = { version: '3.14', freeThreaded: true, source: 'setting' };
const PY310: PythonAssumption = { version: '3.10', freeThreaded: false, source: 'default' };
const SAMPLE_PYTHONS = [PY310, PY312, PY313T, PY314T, { version: '3.14', freeThreaded: false, source: 'default' as const }];

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + __dirname);
    dir = up;
  }
  return dir;
}

/** Rule codes from the catalog tables in RULES.md (in the repo if copied there, else the shared design folder). */
function catalogCodes(): Set<string> | undefined {
  const root = repoRoot();
  const candidates = [
    path.join(root, 'docs', 'RULES.md'),
    path.join(root, 'design', 'RULES.md'),
    path.join(root, 'RULES.md'),
    '/work/shared/design/RULES.md',
  ];
  const file = candidates.find((p) => fs.existsSync(p));
  if (!file) return undefined;
  const codes = new Set<string>();
  for (const m of fs.readFileSync(file, 'utf8').matchAll(/^\|\s*(PCC\d{3})\s*\|/gm)) codes.add(m[1]);
  return codes.size > 0 ? codes : undefined;
}

test('every listed API has a complete entry', () => {
  for (const key of REQUIRED) {
    const e = API_CATALOG[key];
    assert.ok(e, `missing entry ${key}`);
    assert.equal(e.name, key, `${key}: name must equal its key`);
    for (const field of ['title', 'summary', 'pitfall', 'docsUrl'] as const) {
      assert.ok(e[field].trim().length > 0, `${key}: empty ${field}`);
    }
    assert.ok(['threads', 'asyncio', 'processes', 'interpreters', 'general'].includes(e.model), `${key}: model`);
    assert.match(e.docsUrl, /^https:\/\/docs\.python\.org\/3\/(library|reference)\/[\w.-]+\.html(#[\w.-]+)?$/, key);
    if (!key.startsWith('keyword:')) assert.match(e.docsUrl, /\/3\/library\//, `${key}: library page`);
    for (const py of SAMPLE_PYTHONS) {
      assert.ok(resolveText(e.gil, py).trim().length > 0, `${key}: empty gil for ${py.version}`);
    }
    const sentences = e.summary.split(/(?<=[.!?])\s+(?=[A-Z`])/).length;
    assert.ok(sentences <= 3, `${key}: summary has ${sentences} sentences`);
  }
});

test('the catalog holds nothing unexpected', () => {
  assert.deepEqual(Object.keys(API_CATALOG).sort(), [...REQUIRED].sort());
});

test('since is set exactly for APIs newer than 3.9', () => {
  for (const [key, entry] of Object.entries(API_CATALOG)) {
    assert.equal(entry.since, EXPECTED_SINCE[key], `${key}: since`);
  }
});

test('related rules name codes from the rule catalog', (t) => {
  const codes = catalogCodes();
  if (!codes) return t.skip('RULES.md not found');
  for (const entry of Object.values(API_CATALOG)) {
    for (const code of entry.relatedRules ?? []) {
      assert.ok(codes.has(code), `${entry.name}: unknown rule ${code}`);
    }
  }
});

test('lookups resolve submodule spellings and loop methods', () => {
  assert.equal(lookupApi('multiprocessing.pool.Pool')?.name, 'multiprocessing.Pool');
  assert.equal(lookupApi('asyncio.tasks.gather')?.name, 'asyncio.gather');
  assert.equal(lookupApi('asyncio.Queue')?.name, 'asyncio.Queue');
  assert.equal(lookupApi('os.getpid'), undefined);
  assert.equal(lookupLoopMethod('run_in_executor')?.name, 'asyncio.AbstractEventLoop.run_in_executor');
});

test('hover for an aliased name shows the alias and the qualified name', () => {
  const entry = API_CATALOG['concurrent.futures.ThreadPoolExecutor'];
  const md = renderApiHover(entry, PY312, { written: 'TPE' });
  assert.match(md, /`TPE` → `concurrent\.futures\.ThreadPoolExecutor`/);
  assert.match(md, /Common mistake:/);
  assert.match(md, /\*\*GIL:\*\*/);
  assert.ok(md.includes('(https://docs.python.org/3/library/concurrent.futures.html#concurrent.futures.ThreadPoolExecutor)'));
  assert.ok(md.includes('[PCC207](docs/rules/PCC207.md)'));
  assert.match(md, /Assuming Python 3\.12 .*requires-python in pyproject\.toml/);
  const custom = renderApiHover(entry, PY312, { ruleHref: (c) => `https://example.test/${c}` });
  assert.ok(custom.includes('[PCC207](https://example.test/PCC207)'));
  assert.doesNotMatch(custom, /→/);
});

test('hover warns when the assumed Python is older than the API', () => {
  const tg = API_CATALOG['asyncio.TaskGroup'];
  const old = renderApiHover(tg, PY310);
  assert.match(old, /⚠️ \*\*Needs Python 3\.11\+\*\*/);
  assert.match(old, /Python 3\.10 is assumed/);
  const ok = renderApiHover(tg, PY312);
  assert.match(ok, /Needs Python 3\.11\+/);
  assert.doesNotMatch(ok, /⚠️/);
  assert.doesNotMatch(renderApiHover(API_CATALOG['asyncio.gather'], PY310), /Needs Python/);
});

test('hover GIL note follows the build', () => {
  const tpe = API_CATALOG['concurrent.futures.ThreadPoolExecutor'];
  assert.match(renderApiHover(tpe, PY312), /take turns/);
  assert.match(renderApiHover(tpe, PY314T), /in parallel/);
});

test('keyword hovers name the keyword', () => {
  const md = renderApiHover(API_CATALOG['keyword:await'], PY312, { written: 'await' });
  assert.match(md, /^\*\*`await`\*\*/);
  assert.ok(renderApiHover(API_CATALOG['keyword:async'], PY312).startsWith('**`async def`**'));
});

test('describeGil differs for 3.12 default, 3.13 free-threaded and 3.14 free-threaded', () => {
  const d312 = describeGil(PY312, 'threads');
  const d313 = describeGil(PY313T, 'threads');
  const d314 = describeGil(PY314T, 'threads');
  assert.match(d312, /one thread runs Python bytecode at a time/i);
  assert.doesNotMatch(d312, /No GIL/);
  assert.match(d312, /Assuming Python 3\.12 \(default build, with the GIL\), from requires-python in pyproject\.toml/);

  assert.match(d313, /No GIL/);
  assert.match(d313, /experimental/);
  assert.match(d313, /PEP 703/);
  assert.match(d313, /python3\.13t/);

  assert.match(d314, /No GIL/);
  assert.match(d314, /officially supported/);
  assert.match(d314, /PEP 779/);
  assert.doesNotMatch(d314, /experimental/);

  assert.equal(new Set([d312, d313, d314]).size, 3);
});

test('describeGil covers each model', () => {
  assert.match(describeGil(PY312, 'processes'), /own interpreter and GIL/);
  assert.match(describeGil(PY312, 'asyncio'), /one thread by design/);
  assert.match(describeGil(PY312, 'interpreters'), /needs Python 3\.14/);
  assert.match(describeGil(PY314T, 'interpreters'), /InterpreterPoolExecutor` \(3\.14\)/);
  assert.match(describeGil(PY312, 'general'), /multiprocessing sidesteps the GIL/);
});

test('free-threaded before 3.13 falls back to the default build', () => {
  const py = { version: '3.12', freeThreaded: true, source: 'setting' as const };
  assert.doesNotMatch(describeGil(py, 'threads'), /No GIL/);
  assert.match(describeAssumption(py), /no free-threaded build before 3\.13/);
  assert.match(describeAssumption({ version: '3.12', freeThreaded: false, source: 'default' }), /the default/);
});

test('versionAtLeast compares numerically', () => {
  assert.equal(DEFAULT_PYTHON, '3.12');
  assert.ok(versionAtLeast('3.10', '3.9'));
  assert.ok(!versionAtLeast('3.9', '3.11'));
  assert.ok(versionAtLeast('3.14', '3.14'));
  assert.ok(versionAtLeast('3.12.4', '3.12'));
  assert.ok(versionAtLeast('>=3.13', '3.13'));
  assert.ok(!versionAtLeast('nonsense', '3.9'));
});

const guide = () => fs.readFileSync(path.join(repoRoot(), 'docs', 'guide.md'), 'utf8');

test('guide links only to rules in the catalog, and to some of each family', (t) => {
  const text = guide();
  const linked = [...text.matchAll(/\]\(rules\/(PCC\d{3})\.md\)/g)].map((m) => m[1]);
  assert.ok(linked.length > 0, 'guide links to no rules');
  for (const family of ['PCC1', 'PCC2', 'PCC3', 'PCC4']) {
    assert.ok(linked.some((c) => c.startsWith(family)), `no ${family}xx rule linked`);
  }
  assert.doesNotMatch(text, /\]\((?!rules\/)[^)]*PCC\d{3}\.md\)/, 'rule links must be rules/PCCxxx.md');
  const codes = catalogCodes();
  if (!codes) return t.skip('RULES.md not found');
  for (const code of linked) assert.ok(codes.has(code), `guide links unknown rule ${code}`);
});

test('guide states the version facts', () => {
  const lines = guide().split('\n');
  const facts: string[][] = [
    ['asyncio.TaskGroup', '3.11'],
    ['asyncio.timeout', '3.11'],
    ['asyncio.Runner', '3.11'],
    ['asyncio.to_thread', '3.9'],
    ['InterpreterPoolExecutor', '3.14'],
    ['forkserver', 'Linux', '3.14'],
    ['free-threaded', 'experimental', '3.13', 'PEP 703'],
    ['free-threaded', 'supported', '3.14', 'PEP 779'],
    ['python3.13t'],
    ['multiprocessing', 'sidestep'],
    ['asyncio', 'single-threaded'],
  ];
  for (const terms of facts) {
    assert.ok(lines.some((l) => terms.every((t) => l.includes(t))), `no guide line mentions all of: ${terms.join(', ')}`);
  }
});

test('guide has no Mermaid and mentions each of the three queues', () => {
  const text = guide();
  assert.doesNotMatch(text, /```mermaid/);
  for (const q of ['queue.Queue', 'asyncio.Queue', 'multiprocessing.Queue']) assert.ok(text.includes(q), q);
  for (const heading of ['GIL', 'queue', 'Locks', 'Errors', 'Profiling']) {
    assert.match(text, new RegExp(`^##.*${heading}`, 'im'), `no section about ${heading}`);
  }
});
