// The thread fixes produce programs that actually work: each program is fixed with the rule's own
// fixes (unsafe ones included, as `check --fix --unsafe-fixes` would) and run with python3, which
// must exit 0 and print what the program means to print. Where the broken program fails in a
// telling way, that is checked too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeText, fixText } from '../../server/src/engine';
import { findRule } from '../../server/src/rules/index';
import { configFor, getParser } from './helpers';

async function fixWith(code: string, source: string): Promise<string> {
  const parser = await getParser();
  const rule = findRule(code)!;
  const run = (text: string) => analyzeText(parser, text, configFor([code]), [rule]).findings;
  return fixText(run, source, true).text;
}

function runPython(source: string): { status: number | null; stdout: string; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pcc-threads-'));
  try {
    fs.writeFileSync(path.join(dir, 'program.py'), source);
    const result = spawnSync('python3', ['program.py'], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function lines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l !== '');
}

/** Fixes the program, checks that the rule is then quiet, runs it and returns its output lines. */
async function fixAndRun(code: string, source: string): Promise<{ fixed: string; output: string[] }> {
  const fixed = await fixWith(code, source);
  assert.notEqual(fixed, source, `${code} changed the program`);
  const parser = await getParser();
  const left = analyzeText(parser, fixed, configFor([code])).findings.filter((f) => f.fix);
  assert.deepEqual(left, [], `${code}: no fixable finding is left`);
  const run = runPython(fixed);
  assert.equal(run.status, 0, `${code} fixed program exits 0:\n${fixed}\n${run.stderr}`);
  return { fixed, output: lines(run.stdout) };
}

const TARGET_CALLED = `import asyncio
import concurrent.futures
import multiprocessing
import threading

results = []


def work(n, scale=1):
    # 😀 records whether it ran in a worker thread
    results.append((n * scale, threading.current_thread() is threading.main_thread()))


def compute(n):
    return n * n


async def in_loop():
    loop = asyncio.get_running_loop()
    await asyncio.to_thread(work(3, scale=3))
    await loop.run_in_executor(None, work(4, scale=2))


def main():
    t = threading.Thread(target=work(1, scale=2), name="worker")
    t.start()
    t.join()
    with concurrent.futures.ThreadPoolExecutor() as ex:
        ex.submit(work(2)).result()
    asyncio.run(in_loop())
    with multiprocessing.Pool(2) as pool:
        print(pool.apply(compute(3)))
    for value, in_main in sorted(results):
        print(value, "main" if in_main else "worker")


if __name__ == "__main__":
    main()
`;

test('PCC202: the called target becomes a passed target and runs in the worker', async () => {
  const before = runPython(TARGET_CALLED);
  assert.notEqual(before.status, 0, 'the broken program fails: the executor calls None');
  const { fixed, output } = await fixAndRun('PCC202', TARGET_CALLED);
  assert.match(fixed, /^import functools$/m);
  assert.match(fixed, /target=work, args=\(1,\), kwargs=\{"scale": 2\}/);
  assert.match(fixed, /ex\.submit\(work, 2\)/);
  assert.match(fixed, /asyncio\.to_thread\(work, 3, scale=3\)/);
  assert.match(fixed, /run_in_executor\(None, functools\.partial\(work, 4, scale=2\)\)/);
  assert.match(fixed, /pool\.apply\(compute, \(3,\)\)/);
  assert.deepEqual(output, ['9', '2 worker', '2 worker', '8 worker', '9 worker']);
});

const ARGS_NOT_A_TUPLE = `import threading

seen = []


def greet(name):
    seen.append(f"hello {name}")


def count(n):
    seen.append(str(n + 1))


threads = [
    threading.Thread(target=greet, args=("world")),  # 文字ごとに分かれる
    threading.Thread(target=count, args=(41)),
    threading.Timer(0.01, count, args=1),
]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sorted(seen))
`;

test('PCC203: the trailing comma makes each worker get one argument', async () => {
  const before = runPython(ARGS_NOT_A_TUPLE);
  assert.match(before.stderr, /TypeError/, 'the broken workers fail in their threads');
  const { fixed, output } = await fixAndRun('PCC203', ARGS_NOT_A_TUPLE);
  assert.match(fixed, /args=\("world",\)\),  # 文字ごとに分かれる/);
  assert.deepEqual(output, ["['2', '42', 'hello world']"]);
});

const RUN_INSTEAD_OF_START = `import threading

names = []


def work():
    names.append(threading.current_thread().name)


t = threading.Thread(target=work, name="worker")
t.run()
t.join()
print(names)
`;

test('PCC204: start() instead of run() runs the body in the new thread', async () => {
  const before = runPython(RUN_INSTEAD_OF_START);
  assert.match(before.stderr, /RuntimeError: cannot join thread before it is started/);
  const { fixed, output } = await fixAndRun('PCC204', RUN_INSTEAD_OF_START);
  assert.equal(fixed, RUN_INSTEAD_OF_START.replace('t.run()', 't.start()'));
  assert.deepEqual(output, ["['worker']"]);
});

const TARGET_POSITIONAL = `import multiprocessing
import threading
from threading import Thread as T

done = []


def work():
    done.append(1)


def main():
    workers = [threading.Thread(work), T(work, daemon=True)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    p = multiprocessing.Process(work)
    p.start()
    p.join()
    print(len(done), p.exitcode)


if __name__ == "__main__":
    main()
`;

test('PCC206: Thread(f) becomes Thread(target=f) and the work runs', async () => {
  const before = runPython(TARGET_POSITIONAL);
  assert.match(before.stderr, /AssertionError: group argument must be None for now/);
  const { fixed, output } = await fixAndRun('PCC206', TARGET_POSITIONAL);
  assert.match(fixed, /\[threading\.Thread\(target=work\), T\(target=work, daemon=True\)\]/);
  assert.deepEqual(output, ['2 0']);
});

const CPU_BOUND = `from concurrent.futures import ThreadPoolExecutor


def count_primes(limit):
    found = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            found += 1
    return found


def main():
    with ThreadPoolExecutor(max_workers=4) as pool:
        print(sum(pool.map(count_primes, [5_000] * 4)))


if __name__ == "__main__":
    main()
`;

test('PCC207: ThreadPoolExecutor becomes ProcessPoolExecutor, imported once, and the program still computes the same', async () => {
  const { fixed, output } = await fixAndRun('PCC207', CPU_BOUND);
  assert.equal(fixed, CPU_BOUND
    .replace('from concurrent.futures import ThreadPoolExecutor\n', 'from concurrent.futures import ThreadPoolExecutor\nfrom concurrent.futures import ProcessPoolExecutor\n')
    .replace('with ThreadPoolExecutor(', 'with ProcessPoolExecutor('));
  assert.deepEqual(output, ['2676']);
});

const SHARED_STATE = `import threading
from concurrent.futures import ThreadPoolExecutor

counter = 0
lock = threading.Lock()


def work():
    global counter
    for _ in range(20_000):
        counter += 1  # 计数


class Account:
    def __init__(self):
        self.balance = 0
        self._lock = threading.RLock()

    def deposit(self, amount):
        self.balance = self.balance + amount

    def run(self):
        with ThreadPoolExecutor(max_workers=4) as ex:
            for amount in range(1, 1001):
                ex.submit(self.deposit, amount)


threads = [threading.Thread(target=work) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
account = Account()
account.run()
print(counter, account.balance)
`;

test('PCC208: each read-modify-write is wrapped in the one lock in scope, and no update is lost', async () => {
  const { fixed, output } = await fixAndRun('PCC208', SHARED_STATE);
  assert.match(fixed, /\n {8}with lock:\n {12}counter \+= 1  # 计数\n/);
  assert.match(fixed, /\n {8}with self\._lock:\n {12}self\.balance = self\.balance \+ amount\n/);
  assert.deepEqual(output, ['80000 500500']);
});

const DEPRECATED = `import threading
from threading import currentThread

done = threading.Event()
cond = threading.Condition()


def work():
    with cond:
        done.set()
        cond.notifyAll()


t = threading.Thread(target=work)
t.setDaemon(True)
t.setName("worker")
t.start()
t.join()
print(t.getName(), t.isDaemon(), done.isSet(), t.isAlive())
print(currentThread().getName(), threading.activeCount())
`;

test('PCC209: the snake_case API does the same, and isAlive() works again', async () => {
  const before = runPython(DEPRECATED);
  assert.match(before.stderr, /AttributeError: 'Thread' object has no attribute 'isAlive'/);
  const { fixed, output } = await fixAndRun('PCC209', DEPRECATED);
  assert.equal(fixed, `import threading
from threading import current_thread

done = threading.Event()
cond = threading.Condition()


def work():
    with cond:
        done.set()
        cond.notify_all()


t = threading.Thread(target=work)
t.daemon = True
t.name = "worker"
t.start()
t.join()
print(t.name, t.daemon, done.is_set(), t.is_alive())
print(current_thread().name, threading.active_count())
`);
  assert.deepEqual(output, ['worker True True False', 'MainThread 1']);
});
