// Hostile and unusual inputs for the robustness tests: random bytes, NUL, every line ending, tabs, huge
// lines and files, deep nesting, Python syntax from 2.7-era code to 3.14, and half-typed code.
import { Random } from './prng';

export interface Input {
  name: string;
  text: string;
  /** Big inputs: checked once, not at every position. */
  big?: boolean;
}

const CONCURRENCY = [
  'import asyncio, threading, time',
  'from concurrent.futures import ThreadPoolExecutor',
  'lock = threading.Lock()',
  '',
  'async def poll(session):',
  '    time.sleep(1)',
  '    await asyncio.sleep(0)',
  '',
  'def work():',
  '    lock.acquire()',
  '    print("世界 😀 e\u0301")',
  '    lock.release()',
  '',
  't = threading.Thread(target=work())',
  't.start()',
  '',
].join('\n');

/** Python 2.7-era code: print and exec statements, backticks, `<>`, old except and raise forms, tuple parameters. */
const PY27 = `# -*- coding: utf-8 -*-
import thread, Queue, urllib2
print "hello", x
print >>sys.stderr, "error: %s" % msg
exec "x = 1" in namespace
y = \`x\`
n = 10L + 0777 + 0xFFL
if a <> b:
    pass
try:
    raise ValueError, "bad"
except ValueError, e:
    print e.message
def f(a, (b, c)=(1, 2)):
    return ur"raw"
class Old:
    __metaclass__ = Meta
    def __unicode__(self):
        return u'caf\\xe9'
thread.start_new_thread(work, ())
q = Queue.Queue()
lambda (x, y): x + y
`;

/** Python 3.x through 3.14: walrus, positional-only, match, type parameters, except*, PEP 701 f-strings, t-strings. */
const PY3 = `from __future__ import annotations
import asyncio, threading, time, re
café, π = 1, 3.14

def pos(a, /, b, *, c): ...

async def gen():
    if (n := len(data)) > 10:
        pass
    return [x async for x in aiter() if await pred(x)]

@buttons[0].clicked.connect
def on_click(): ...

def matcher(command):
    match command.split():
        case [action]:
            time.sleep(1)
        case [Point(x=0, y=0) | Point(x=1), *rest] if rest:
            pass
        case {"key": value, **others}:
            pass
        case str() as s:
            pass
        case _:
            pass
    match = re.match(r"x", "x")
    case = match

def first[T: int, *Ts, **P](x: T) -> T:
    return x

class Box[T](Base):
    def get[U = int](self) -> U: ...

type Pair[T] = tuple[T, T]

async def handler():
    try:
        await asyncio.sleep(0)
    except* (ValueError, TypeError) as eg:
        pass
    try:
        pass
    except ValueError, TypeError:
        pass
    async with lock, open("f") as f:
        async for line in f:
            pass

nested = f"{'a' + "b"} {f"{f"{x!r:>{width}.{precision}}"}"} {'\\n'.join(items)}"
multi = f"{
    x  # a comment inside (3.12)
}"
template = t"Hello {name!r}"
with (
    open("a") as a,
    open("b") as b,
):
    pass
a, *b = c
print(*args, sep="", **kwargs)
x = lambda: (yield)
matrix = a @ b
assert x, "message"
del x[0], y
global_var: int = 5
`;

const HALF_TYPED_SOURCE = `${CONCURRENCY}
class Worker(threading.Thread):
    def __init__(self, queue):
        super().__init__(daemon=True)
        self.lock = threading.Lock()
        self.queue = queue

    def run(self):
        with self.lock:
            item = self.queue.get()
        asyncio.run(main(item))

async def main(item):
    loop = asyncio.get_event_loop()
    task = asyncio.create_task(job(item))
    await loop.run_in_executor(None, time.sleep, 1)
    return f"{item!r} done {"ok"}"
`;

export function randomBytes(seed: number, length: number): Buffer {
  const rng = new Random(seed);
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = rng.int(0, 255);
  return bytes;
}

/** Invalid UTF-8: lone continuation bytes, overlong forms, truncated sequences, surrogates, 0xFF. */
export const INVALID_UTF8 = Buffer.concat([
  Buffer.from('import time\nasync def f():\n    time.sleep(1)  # '),
  Buffer.from([0x80, 0xbf, 0xc0, 0xaf, 0xe0, 0x80, 0xaf, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80, 0x80, 0xff, 0xfe, 0xc3]),
  Buffer.from('\nx = "'),
  Buffer.from([0xe2, 0x82]),
  Buffer.from('"\n'),
]);

export function inputs(): Input[] {
  const rng = new Random(8);
  const list: Input[] = [
    { name: 'empty', text: '' },
    { name: 'only a newline', text: '\n' },
    { name: 'only a lone CR', text: '\r' },
    { name: 'NUL bytes', text: `import time\x00\nasync def f():\n    time.sleep(1)\x00\n\x00\x00\x00` },
    { name: 'CRLF', text: CONCURRENCY.replace(/\n/g, '\r\n') },
    { name: 'lone CR', text: CONCURRENCY.replace(/\n/g, '\r') },
    { name: 'mixed line endings', text: CONCURRENCY.split('\n').map((l, i) => l + ['\n', '\r\n', '\r'][i % 3]).join('') },
    { name: 'tabs', text: CONCURRENCY.replace(/ {4}/g, '\t') + '\nif x:\n\tif y:\n\t    time.sleep(1)\n\t\tpass\n' },
    { name: 'form feed and vertical tab', text: '\fimport time\n\vasync def f():\n    time.sleep(1)\f\n' },
    { name: 'BOM', text: '\uFEFF' + CONCURRENCY },
    { name: 'lone surrogates', text: `x = "\ud800"\ny = "\udc00\ud83d"\n${CONCURRENCY}` },
    { name: 'random bytes as UTF-8', text: randomBytes(1, 4000).toString('utf8') },
    { name: 'random bytes as Latin-1', text: randomBytes(2, 4000).toString('latin1') },
    { name: 'random bytes as UTF-16', text: randomBytes(3, 4000).toString('utf16le') },
    { name: 'invalid UTF-8 decoded', text: INVALID_UTF8.toString('utf8') },
    { name: 'random Python tokens', text: Array.from({ length: 800 }, () => rng.pick(['(', ')', '[', ']', '{', '}', ':', '\n', '    ', 'async', 'def', 'await', 'time.sleep(1)', 'lambda', '"', "'", '"""', 'f"{', '}', '#', '\\', 'with', 'lock', 'yield', 'class', 'match', 'case', '*', '**', '->', '@', 'import'])).join(' ') },
    { name: 'Python 2.7', text: PY27 },
    { name: 'Python 3.x to 3.14', text: PY3 + '\n' + CONCURRENCY },
    { name: 'half-typed code', text: HALF_TYPED_SOURCE.slice(0, HALF_TYPED_SOURCE.indexOf('with self.lock') + 8) },
    { name: 'unterminated triple-quoted string', text: 'import time\nx = """\nasync def f():\n    time.sleep(1)\n' },
    { name: 'unterminated f-string', text: 'import time\nasync def f():\n    s = f"{time.sleep(1)\n    time.sleep(2)\n' },
    { name: '10,000 nested parentheses', text: CONCURRENCY + 'async def deep():\n    x = ' + '('.repeat(10_000) + 'time.sleep(1)' + ')'.repeat(10_000) + '\n', big: true },
    { name: '10,000 unclosed parentheses', text: CONCURRENCY + 'x = ' + '('.repeat(10_000) + '\n', big: true },
    { name: '10,000 nested lists', text: CONCURRENCY + 'x = ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n', big: true },
    // Calls and awaits nest 3,000 deep: some semantic helpers walk up to the root for every call (O(calls × depth)).
    { name: '3,000 nested calls', text: CONCURRENCY + 'async def deep():\n    x = ' + 'f('.repeat(3_000) + ')'.repeat(3_000) + '\n', big: true },
    { name: '3,000 awaits', text: CONCURRENCY + 'async def deep():\n    x = ' + 'await '.repeat(3_000) + 'asyncio.sleep(1)\n', big: true },
    { name: '10,000-term sum', text: CONCURRENCY + 'x = ' + '1 + '.repeat(10_000) + '1\n', big: true },
    { name: '10,000-deep attribute chain', text: CONCURRENCY + 'x = lock' + '.a'.repeat(10_000) + '.acquire()\n', big: true },
    { name: '100 nested blocks', text: 'import time\n' + Array.from({ length: 100 }, (_, i) => ' '.repeat(i) + (i % 2 ? 'async def f():' : 'if x:')).join('\n') + '\n' + ' '.repeat(100) + 'time.sleep(1)\n', big: true },
    { name: '1 MB on one line', text: CONCURRENCY + 'x = "' + 'é😀a'.repeat(250_000) + '"; time.sleep(1)\n', big: true },
    { name: '1 MB comment line', text: CONCURRENCY + '#' + ' lock.acquire()'.repeat(70_000) + '\n', big: true },
    { name: '50,000 lines', text: fiftyThousandLines(), big: true },
  ];
  return list;
}

function fiftyThousandLines(): string {
  const lines = ['import asyncio, threading, time', 'lock = threading.Lock()'];
  while (lines.length < 50_000) {
    const i = lines.length;
    lines.push(`async def f${i}():`, '    time.sleep(1)', '    await asyncio.sleep(0)', `x${i} = "é😀"  # 世界`, '');
  }
  return lines.join('\n');
}

/** Every prefix of a realistic module, as if typed from the start (every `step`-th character). */
export function halfTypedPrefixes(step: number): Input[] {
  const out: Input[] = [];
  for (let end = 0; end <= HALF_TYPED_SOURCE.length; end += step) out.push({ name: `prefix of ${end} characters`, text: HALF_TYPED_SOURCE.slice(0, end) });
  return out;
}

export { HALF_TYPED_SOURCE, PY27, PY3 };
