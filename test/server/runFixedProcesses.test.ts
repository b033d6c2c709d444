// The process and pool fixes produce programs that actually run: each program is fixed with the
// rule's own fixes (unsafe ones included) and run with python3, which must exit 0 and print what
// the program means to print. Extra module-level PCC401 cases live here too, since a fixture is
// one module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, fixText } from '../../server/src/engine';
import { findRule } from '../../server/src/rules/index';
import { AFTER_FIXES, analyze, configFor, getParser, readFixture } from './helpers';
import { tempTree } from './tempDirs';

/** The source after applying every fix (safe and unsafe) of one rule, as `check --fix` would with unsafe fixes. */
async function fixWith(code: string, source: string): Promise<string> {
  const parser = await getParser();
  const rule = findRule(code)!;
  const run = (text: string) => analyzeText(parser, text, configFor([code]), [rule]).findings;
  return fixText(run, source, true).text;
}

/** Runs a program as a script file (spawned children re-import it from there). */
function runPython(source: string, name = 'program.py'): { status: number | null; stdout: string; stderr: string } {
  const dir = tempTree('pcc-run-');
  try {
    fs.writeFileSync(path.join(dir, name), source);
    const result = spawnSync('python3', [name], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function lines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l !== '');
}

const SPAWNED_PROCESS = `import multiprocessing as mp

ctx = mp.get_context("spawn")


def greet(name):
    print("hello", name, flush=True)


p = ctx.Process(target=greet, args=("world",))
p.start()
p.join()
print("exit code", p.exitcode)
`;

test('PCC401: an unguarded spawned process fails in the child; the guarded one runs', async () => {
  const before = runPython(SPAWNED_PROCESS);
  assert.match(before.stderr, /bootstrapping phase/);
  assert.deepEqual(lines(before.stdout), ['exit code 1']);
  const fixed = await fixWith('PCC401', SPAWNED_PROCESS);
  assert.equal(fixed, SPAWNED_PROCESS.replace(
    'p = ctx.Process(target=greet, args=("world",))\np.start()\np.join()\nprint("exit code", p.exitcode)\n',
    'if __name__ == "__main__":\n    p = ctx.Process(target=greet, args=("world",))\n    p.start()\n    p.join()\n    print("exit code", p.exitcode)\n',
  ));
  const after = runPython(fixed);
  assert.equal(after.status, 0, after.stderr);
  assert.deepEqual(lines(after.stdout), ['hello world', 'exit code 0']);
});

const SPAWN_POOL_WITH_LATE_DEFS = `# Squares in a spawned pool.
import multiprocessing as mp

pool = mp.get_context("spawn").Pool(2)  # four workers would do too


def square(x):
    return x * x


import math  # an import after the pool: the workers need it too


def root_of_square(x):
    return math.isqrt(square(x))


print(pool.map(root_of_square, range(5)))
pool.close()
pool.join()
`;

test('PCC401: the guarded pool actually works, with definitions after the pool moved above the guard', async () => {
  const fixed = await fixWith('PCC401', SPAWN_POOL_WITH_LATE_DEFS);
  assert.equal(fixed, `# Squares in a spawned pool.
import multiprocessing as mp


def square(x):
    return x * x


import math  # an import after the pool: the workers need it too


def root_of_square(x):
    return math.isqrt(square(x))


if __name__ == "__main__":
    pool = mp.get_context("spawn").Pool(2)  # four workers would do too

    print(pool.map(root_of_square, range(5)))
    pool.close()
    pool.join()
`);
  const after = runPython(fixed);
  assert.equal(after.status, 0, after.stderr);
  assert.deepEqual(lines(after.stdout), ['[0, 1, 2, 3, 4]']);
});

test('PCC401: a module-level call of a function that starts processes is guarded, and an existing guard is merged', async () => {
  const source = `from concurrent.futures import ProcessPoolExecutor
import multiprocessing


def cube(x):
    return x ** 3


def main():
    ctx = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(2, mp_context=ctx) as executor:
        print(sorted(executor.map(cube, [1, 2, 3])))


main()

if __name__ == "__main__":
    print("done")
`;
  const findings = await analyze(source, ['PCC401']);
  assert.deepEqual(findings.map((f) => [f.range.start.line, f.message, f.related?.[0].range.start.line]), [
    [14, '`main()` runs at import time and starts a ProcessPoolExecutor outside `if __name__ == "__main__":`: under spawn or forkserver every child process runs it again', 10],
  ]);
  const fixed = await fixWith('PCC401', source);
  assert.equal(fixed, source.replace('main()\n\nif __name__ == "__main__":\n    print("done")\n', 'if __name__ == "__main__":\n    main()\n\n    print("done")\n'));
  const after = runPython(fixed);
  assert.equal(after.status, 0, after.stderr);
  assert.deepEqual(lines(after.stdout), ['[1, 8, 27]', 'done']);
});

test('PCC401: processes started in a class body or on a shared line get no fix', async () => {
  const classBody = 'import multiprocessing as mp\n\n\nclass Config:\n    pool = mp.Pool(2)\n';
  const [inClass] = await analyze(classBody, ['PCC401']);
  assert.equal(inClass.range.start.line, 4);
  assert.equal(inClass.fix, undefined);
  const shared = 'import multiprocessing as mp\nx = 1; pool = mp.Pool(2)\n';
  const [onShared] = await analyze(shared, ['PCC401']);
  assert.equal(onShared.fix, undefined);
});

test('PCC401: fork chosen for the whole program, threads and guarded code stay quiet', async () => {
  const quiet = [
    'import multiprocessing as mp\nmp.set_start_method("fork")\npool = mp.Pool(2)\n',
    'from multiprocessing.pool import ThreadPool\npool = ThreadPool(2)\n',
    'import multiprocessing as mp\nif __name__ == "__main__":\n    pool = mp.Pool(2)\n',
    "import multiprocessing as mp\nif '__main__' == __name__:\n    mp.Process(target=print).start()\n",
    'import multiprocessing as mp\n\n\ndef main():\n    mp.Pool(2)\n\n\nif __name__ == "__main__":\n    main()\n',
  ];
  for (const source of quiet) assert.deepEqual(await analyze(source, ['PCC401']), [], source);
});

test('PCC401: notebook cells are not checked', async () => {
  const parser = await getParser();
  const result = analyzeText(parser, 'import multiprocessing as mp\npool = mp.Pool(2)\n', configFor(['PCC401'], true));
  assert.deepEqual(result.findings, []);
});

test('PCC401: the fixed fixture runs', async () => {
  const { expected } = readFixture('PCC401');
  const fixed = expected!.slice(expected!.indexOf(AFTER_FIXES) + AFTER_FIXES.length + 1);
  const after = runPython(fixed);
  assert.equal(after.status, 0, after.stderr);
  assert.deepEqual(lines(after.stdout), ['[0, 1, 4, 9]', 'worker ran', '9', 'late']);
});

const LEAKY_POOLS = `import multiprocessing
from concurrent.futures import ThreadPoolExecutor


def square(x):
    return x * x


def total(xs):
    pool = multiprocessing.Pool(2)
    pending = pool.map_async(square, xs)
    print("waiting")
    result = sum(pending.get(timeout=20))
    print("done")
    return result


def lengths(words):
    executor = ThreadPoolExecutor(max_workers=2)
    futures = [executor.submit(len, w) for w in words]
    return [f.result() for f in futures]


if __name__ == "__main__":
    print(total(range(5)))
    print(lengths(["a", "bb"]))
`;

test('PCC403: pools rewritten as `with` still deliver their results', async () => {
  // `result` comes from the pool, so the block reaches its last use: `Pool.__exit__` terminates the workers.
  const fixed = await fixWith('PCC403', LEAKY_POOLS);
  assert.equal(fixed, LEAKY_POOLS
    .replace(`    pool = multiprocessing.Pool(2)
    pending = pool.map_async(square, xs)
    print("waiting")
    result = sum(pending.get(timeout=20))
    print("done")
    return result
`, `    with multiprocessing.Pool(2) as pool:
        pending = pool.map_async(square, xs)
        print("waiting")
        result = sum(pending.get(timeout=20))
        print("done")
        return result
`)
    .replace(`    executor = ThreadPoolExecutor(max_workers=2)
    futures = [executor.submit(len, w) for w in words]
    return [f.result() for f in futures]
`, `    with ThreadPoolExecutor(max_workers=2) as executor:
        futures = [executor.submit(len, w) for w in words]
        return [f.result() for f in futures]
`));
  const after = runPython(fixed);
  assert.equal(after.status, 0, after.stderr);
  assert.deepEqual(lines(after.stdout), ['waiting', 'done', '30', '[1, 2]']);
});

test('PCC403: the fixed fixture runs', async () => {
  const { expected } = readFixture('PCC403');
  const fixed = expected!.slice(expected!.indexOf(AFTER_FIXES) + AFTER_FIXES.length + 1);
  const after = runPython(fixed);
  assert.equal(after.status, 0, after.stderr);
  assert.deepEqual(lines(after.stdout), ['multi-line', 'string', '[1, 4, 9]', 'waiting', '5', 'done', '2', '[9]', '9']);
});

const THREAD_PRODUCER = `import asyncio
import threading


def produce(loop, queue):
    for i in range(3):
        loop.call_soon(queue.put_nowait, i)


async def main():
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()
    threading.Thread(target=produce, args=(loop, queue)).start()
    for _ in range(3):
        print(await asyncio.wait_for(queue.get(), 20))


asyncio.run(main())
`;

test('PCC304: call_soon_threadsafe from the producer thread reaches the loop', async () => {
  const fixed = await fixWith('PCC304', THREAD_PRODUCER);
  assert.equal(fixed, THREAD_PRODUCER.replace('loop.call_soon(', 'loop.call_soon_threadsafe('));
  const after = runPython(fixed);
  assert.equal(after.status, 0, after.stderr);
  assert.deepEqual(lines(after.stdout), ['0', '1', '2']);
});

test('PCC304: the fixed fixture runs', async () => {
  const { expected } = readFixture('PCC304');
  const fixed = expected!.slice(expected!.indexOf(AFTER_FIXES) + AFTER_FIXES.length + 1);
  const after = runPython(fixed);
  assert.equal(after.status, 0, after.stderr);
  const out = lines(after.stdout);
  assert.deepEqual(out.filter((l) => /^\d$/.test(l)), ['0', '1', '2', '3']);
});
