import { defineRule } from './rule';
import type { Node } from '../trees';
import type { ModuleIndex, ResolvedCall } from '../semantic/module';
import { KIND } from '../semantic/kinds';
import { compact, keywordArgument, methodCall } from '../semantic/statements';
import { inAsyncContext, owningScope, functionName } from '../semantic/scopes';
import { objectKind, type ObjectKind } from '../semantic/objectKinds';
import { hasAsyncDef, blockedFunction, calleeText, toThreadFix } from '../semantic/toThread';

const CONDITIONS = ['threading.Condition', 'multiprocessing.Condition'];
const QUEUES = [
  'queue.Queue', 'queue.LifoQueue', 'queue.PriorityQueue', 'queue.SimpleQueue',
  'multiprocessing.Queue', 'multiprocessing.JoinableQueue', 'multiprocessing.SimpleQueue',
];
const POOLS = ['multiprocessing.Pool', 'multiprocessing.pool.Pool', 'multiprocessing.pool.ThreadPool'];

/** Methods that wait, per kind of object. */
const WAITS = new Map<string, Set<string>>();
function waits(kinds: Iterable<string>, methods: string[]): void {
  for (const kind of kinds) WAITS.set(kind, new Set([...(WAITS.get(kind) ?? []), ...methods]));
}
waits(KIND.worker, ['join']);
waits(KIND.syncLock, ['acquire']);
waits(CONDITIONS, ['wait', 'wait_for']);
waits(['threading.Event', 'multiprocessing.Event', 'threading.Barrier', 'multiprocessing.Barrier'], ['wait']);
waits(QUEUES, ['get', 'put', 'join']);
waits(['concurrent.futures.Future'], ['result', 'exception']);
waits(POOLS, ['map', 'starmap', 'apply', 'join']);
waits(['multiprocessing.pool.AsyncResult'], ['get', 'wait']);
waits(['socket.socket'], [
  'recv', 'recv_into', 'recvfrom', 'recvfrom_into', 'recvmsg', 'send', 'sendall', 'sendto', 'sendmsg', 'sendfile',
  'accept', 'connect',
]);
const WAIT_METHODS = new Set([...WAITS.values()].flatMap((s) => [...s]));

/** Functions that wait: `concurrent.futures.wait(fs)`, `socket.create_connection(addr)`. */
const WAIT_FUNCTIONS = new Set(['concurrent.futures.wait', 'socket.create_connection']);

/** Objects a worker thread cannot wait on for the loop: they belong to the thread that acquired them. */
const OWNED = new Set(['threading.RLock', '_thread.RLock', 'multiprocessing.RLock', ...CONDITIONS]);

const MODULES = ['threading', 'multiprocessing', 'queue', 'concurrent', 'socket', '_thread'];

function isFalse(node: Node | undefined | null): boolean {
  return node?.type === 'false';
}

function isZero(node: Node | undefined | null): boolean {
  return !!node && /^0(\.0*)?$/.test(node.text);
}

function positional(call: Node, index: number): Node | undefined {
  const args = call.childForFieldName('arguments')?.namedChildren.filter((a) => a && a.type !== 'comment' && a.type !== 'keyword_argument');
  return args?.[index] ?? undefined;
}

/** `acquire(False)`, `get(block=False)`, `put(x, False)`, `wait(0)`, `join(timeout=0)`: these return at once. */
function returnsAtOnce(call: Node, method: string): boolean {
  if (isFalse(keywordArgument(call, 'blocking')) || isFalse(keywordArgument(call, 'block'))) return true;
  if ((method === 'acquire' || method === 'get') && isFalse(positional(call, 0))) return true;
  if (method === 'put' && isFalse(positional(call, 1))) return true;
  if (isZero(keywordArgument(call, 'timeout'))) return true;
  return ['wait', 'join', 'result', 'exception'].includes(method) && isZero(positional(call, 0));
}

/** `queue.Queue()` without a positive `maxsize` never blocks on `put()`. */
function unbounded(kind: ObjectKind): boolean {
  return kind.origins.every((origin) => {
    if (origin.type !== 'call') return false;
    const size = keywordArgument(origin, 'maxsize') ?? positional(origin, 0);
    return !size || /^-?0+$/.test(size.text);
  }) || kind.kind.endsWith('SimpleQueue');
}

/** What the module switches to non-blocking mode (`sock.setblocking(False)`, `sock.settimeout(0)`), by the text of the object, anywhere. */
function nonBlockingSockets(module: ModuleIndex): Set<string> {
  let found = module.memo.get('nonBlockingSockets') as Set<string> | undefined;
  if (!found) {
    found = new Set(module.keptPerUnit('nonBlocking', (unit) => nonBlockingIn(module.callsOf(unit)), () => nonBlockingIn(module.everyCall())).flat());
    module.memo.set('nonBlockingSockets', found);
  }
  return found;
}

function nonBlockingIn(calls: readonly ResolvedCall[]): string[] {
  const found: string[] = [];
  for (const { call } of calls) {
    const m = methodCall(call);
    if (m?.method !== 'setblocking' && m?.method !== 'settimeout') continue;
    const arg = positional(call, 0);
    if ((m.method === 'setblocking' && isFalse(arg)) || (m.method === 'settimeout' && isZero(arg))) found.push(compact(m.object));
  }
  return found;
}

function blocks(module: ModuleIndex, call: Node, object: Node, method: string, kind: ObjectKind): boolean {
  if (returnsAtOnce(call, method)) return false;
  if (method === 'put' && QUEUES.includes(kind.kind) && unbounded(kind)) return false;
  if (kind.kind === 'socket.socket' && nonBlockingSockets(module).has(compact(object))) return false;
  return true;
}

function lockKinds(kind: string): boolean {
  return KIND.syncLock.has(kind);
}

function describe(kind: string): string {
  return `\`${kind}\``;
}

export default defineRule({
  code: 'PCC106',
  name: 'blocking-wait-in-async',
  severity: 'warning',
  summary: 'Waiting on a thread-world object (join, lock, queue, future, socket) inside `async def` stalls the event loop.',
  fixable: true,
  local: true,
  // Whether a socket is switched to non-blocking mode is read from the whole module.
  localKey: (module) => [...nonBlockingSockets(module)].sort().join('\n'),
  requires: ['async', MODULES],
  docs: `
    ## What it does
    Flags waits on objects of the threading world inside an \`async def\`: \`join()\` on a
    \`Thread\` or \`Process\`; \`acquire()\` on, or \`with\` over, a \`threading\` or
    \`multiprocessing\` lock, semaphore or condition; \`wait()\` on a \`threading.Event\`,
    \`Barrier\` or \`Condition\`; \`get()\`, \`put()\` and \`join()\` on a \`queue.Queue\` or
    multiprocessing queue; \`result()\` and \`exception()\` on a \`concurrent.futures.Future\`
    (also one returned by \`executor.submit()\`); \`map()\`, \`starmap()\`, \`apply()\` and \`join()\`
    on a \`multiprocessing\` pool and \`get()\`/\`wait()\` on its async results; \`recv\`, \`send\`,
    \`sendall\`, \`accept\`, \`connect\` and their relatives on a blocking \`socket\`, and
    \`concurrent.futures.wait()\` and \`socket.create_connection()\`.

    The kind of object comes from how the module binds the name: \`t = threading.Thread(...)\`,
    \`self.lock = threading.Lock()\` in the class, \`for t in threads\` over a list of threads, a
    parameter annotated \`sock: socket.socket\`. Calls that return at once are not flagged:
    \`acquire(blocking=False)\`, \`get(block=False)\`, \`wait(0)\`, \`put()\` on a queue without a
    \`maxsize\`, socket calls after \`setblocking(False)\`.

    ## Why is this bad?
    These methods park the calling thread until another thread or process acts. Inside a
    coroutine that thread runs the event loop, so no other task runs while it waits, and if
    the thread or process being waited for needs the loop to make progress (it schedules work
    with \`run_coroutine_threadsafe\`, or waits for a task to release something), the program
    deadlocks.

    ## Example
    \`\`\`python
    import asyncio
    import threading
    import time


    def work():
        time.sleep(0.1)


    async def main():
        worker = threading.Thread(target=work)
        worker.start()
        worker.join()  # the event loop is frozen until the thread ends
        print("done")


    asyncio.run(main())
    \`\`\`

    ## Use instead
    Wait in a worker thread, or use the asyncio counterpart: \`asyncio.Lock\`,
    \`asyncio.Event\`, \`asyncio.Queue\` between coroutines, \`await asyncio.wrap_future(future)\`
    for a \`concurrent.futures.Future\`, \`loop.sock_recv()\` or streams for sockets.

    \`\`\`python
    import asyncio
    import threading
    import time


    def work():
        time.sleep(0.1)


    async def main():
        worker = threading.Thread(target=work)
        worker.start()
        await asyncio.to_thread(worker.join)  # other tasks run meanwhile
        print("done")


    asyncio.run(main())
    \`\`\`

    ## Fix safety
    For a method call, the fix waits in a worker thread instead:
    \`await asyncio.to_thread(worker.join)\`, \`await asyncio.to_thread(q.get, timeout=5)\`
    (\`trio.to_thread.run_sync\` or \`anyio.to_thread.run_sync\` in a trio or anyio module). It is
    unsafe: other tasks now run during the wait, and a cancelled coroutine leaves the thread
    waiting. There is no fix for \`with lock:\`, nor for \`RLock\` and \`Condition\` objects,
    which must be acquired and released by the same thread. The fix adds \`import asyncio\` when
    the module lacks it.

    ## References
    - [asyncio.to_thread](https://docs.python.org/3/library/asyncio-task.html#asyncio.to_thread)
    - [asyncio synchronization primitives](https://docs.python.org/3/library/asyncio-sync.html)
    - [asyncio.wrap_future](https://docs.python.org/3/library/asyncio-future.html#asyncio.wrap_future)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!hasAsyncDef(module)) return;
    if (!MODULES.some((name) => module.importsModule(name))) return;
    for (const { call, qualified } of module.allCalls()) {
      if (qualified && WAIT_FUNCTIONS.has(qualified)) {
        const fn = blockedFunction(module, call);
        if (fn) ctx.report(call, `Blocking \`${calleeText(call)}()\` in async function \`${fn}\` stalls the event loop`, toThreadFix(module, call));
        continue;
      }
      const m = methodCall(call);
      if (!m || !WAIT_METHODS.has(m.method)) continue;
      const fn = blockedFunction(module, call);
      if (!fn) continue;
      const kind = objectKind(module, m.object);
      if (!kind || !WAITS.get(kind.kind)?.has(m.method) || !blocks(module, call, m.object, m.method, kind)) continue;
      const fix = OWNED.has(kind.kind) ? undefined : toThreadFix(module, call);
      ctx.report(call, `Blocking \`${calleeText(call)}()\` on a ${describe(kind.kind)} in async function \`${fn}\` stalls the event loop`, fix);
    }
    for (const stmt of module.of('with_statement')) {
      if (stmt.firstChild?.type === 'async' || !inAsyncContext(stmt)) continue;
      for (const item of stmt.descendantsOfType('with_item')) {
        const value = item?.childForFieldName('value');
        const expr = value?.type === 'as_pattern' ? value.namedChild(0) : value;
        if (!expr || item!.parent?.parent?.id !== stmt.id) continue;
        const kind = objectKind(module, expr);
        if (!kind || !lockKinds(kind.kind)) continue;
        const fn = functionName(owningScope(stmt));
        ctx.report(expr, `\`with ${compact(expr)}:\` waits for a ${describe(kind.kind)} and stalls the event loop in async function \`${fn}\``);
      }
    }
  },
});
