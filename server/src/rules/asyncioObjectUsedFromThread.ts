import { defineRule, type Fix, type RuleContext } from './rule';
import type { Node } from '../trees';
import type { ModuleIndex } from '../semantic/module';
import { methodCall } from '../semantic/statements';
import { isAsyncDef, owningScope } from '../semantic/scopes';
import { objectKind } from '../semantic/objectKinds';
import { handoffWords, workerFunctions, type WorkerFunction } from '../semantic/workerTargets';
import { lastNames } from '../semantic/kinds';
import { creatingCalls, unparenthesize } from '../semantic/processes';
import { replaceNode } from '../fixes/edits';

const LOOP = 'asyncio.AbstractEventLoop';
/** Loop methods that only the loop's own thread may call. */
const LOOP_METHODS = new Set(['call_soon', 'call_later', 'call_at', 'create_task']);
const QUEUES = new Set(['asyncio.Queue', 'asyncio.LifoQueue', 'asyncio.PriorityQueue']);
const QUEUE_METHODS = new Set(['put_nowait', 'get_nowait']);
const EVENT_METHODS = new Set(['set', 'clear']);
const FUTURE_METHODS = new Set(['set_result', 'set_exception']);
const TASK_FUNCTIONS = new Set(['asyncio.create_task', 'asyncio.ensure_future']);

/** A name ending in `loop`: `loop`, `self._loop`, `event_loop`. */
function loopLikeName(expr: Node): boolean {
  const last = expr.type === 'attribute' ? expr.childForFieldName('attribute')?.text : expr.type === 'identifier' ? expr.text : undefined;
  return !!last && /(^|_)loop$/i.test(last);
}

/** The object is bound inside the worker function itself (not a parameter): it belongs to that thread. */
function ownedBy(module: ModuleIndex, expr: Node, fn: Node): boolean {
  if (expr.type !== 'identifier') return false;
  const found = module.lookup(expr.text, expr);
  return !!found && found.scope.id === fn.id && found.bindings.every((b) => b.how !== 'param');
}

/** An `asyncio.Future`: `asyncio.Future()` or `loop.create_future()`, bound to the name or `self.x`. */
function isAsyncioFuture(module: ModuleIndex, expr: Node): boolean {
  const node = unparenthesize(expr);
  let calls = creatingCalls(module, node);
  if (node.type === 'attribute') {
    const text = node.text.replace(/\s+/g, '');
    calls = module.of('assignment')
      .filter((a) => a.childForFieldName('left')?.text.replace(/\s+/g, '') === text)
      .flatMap((a) => (a.childForFieldName('right')?.type === 'call' ? [a.childForFieldName('right')!] : []));
  }
  return calls.length > 0 && calls.every((call) => {
    const callee = call.childForFieldName('function');
    if (!callee) return false;
    if (module.resolve(callee) === 'asyncio.Future') return true;
    const m = methodCall(call);
    return m?.method === 'create_future';
  });
}

/** The worker runs this loop itself (`loop.run_forever()`): it is the loop's own thread. */
function runsLoop(fn: Node, object: Node): boolean {
  const text = object.text.replace(/\s+/g, '');
  return fn.descendantsOfType('call').some((call) => {
    const m = call ? methodCall(call) : undefined;
    return !!m && (m.method === 'run_forever' || m.method === 'run_until_complete') && m.object.text.replace(/\s+/g, '') === text;
  });
}

function describe(worker: WorkerFunction): string {
  const fn = worker.fn;
  const name = fn.type === 'lambda' ? 'a lambda' : `\`${fn.childForFieldName('name')?.text}\``;
  return `${name}, which runs in a worker thread`;
}

function checkCall(ctx: RuleContext, worker: WorkerFunction, call: Node): void {
  const { module } = ctx;
  const where = describe(worker);
  const callee = call.childForFieldName('function');
  const qualified = callee ? module.resolve(callee) : undefined;
  if (qualified && TASK_FUNCTIONS.has(qualified)) {
    ctx.report(call, `\`${callee!.text}()\` in ${where}: that thread has no running event loop; hand the coroutine to the loop with \`asyncio.run_coroutine_threadsafe()\``);
    return;
  }
  const m = methodCall(call);
  if (!m || ownedBy(module, m.object, worker.fn) || runsLoop(worker.fn, m.object)) return;
  const kind = objectKind(module, m.object)?.kind ?? module.kindOf(m.object);
  const shown = `${m.object.text}.${m.method}()`;
  if (LOOP_METHODS.has(m.method) && (kind === LOOP || (!kind && (m.method !== 'create_task' || loopLikeName(m.object))))) {
    let fix: Fix | undefined;
    if (m.method === 'call_soon') {
      const attr = callee!.childForFieldName('attribute')!;
      fix = { title: 'Use `call_soon_threadsafe`', safe: true, edits: [replaceNode(attr, 'call_soon_threadsafe')] };
    }
    ctx.report(call, `\`${shown}\` in ${where}: event loop methods are not thread-safe; the loop may never notice the call`, fix);
  } else if (kind && QUEUES.has(kind) && QUEUE_METHODS.has(m.method)) {
    ctx.report(call, `\`${shown}\` on an asyncio queue in ${where}: asyncio queues are not thread-safe; waiting tasks may never wake up`);
  } else if (kind === 'asyncio.Event' && EVENT_METHODS.has(m.method)) {
    ctx.report(call, `\`${shown}\` on an asyncio event in ${where}: asyncio events are not thread-safe; waiting tasks may never wake up`);
  } else if (FUTURE_METHODS.has(m.method) && isAsyncioFuture(module, m.object)) {
    ctx.report(call, `\`${shown}\` on an asyncio future in ${where}: asyncio futures are not thread-safe; awaiting tasks may never wake up`);
  }
}

export default defineRule({
  code: 'PCC304',
  name: 'asyncio-object-used-from-thread',
  severity: 'warning',
  summary: 'A function running in a worker thread touches an event loop, queue, event or future of asyncio directly.',
  fixable: true,
  // A thread worker, and a call of one of the functions or methods it must not call.
  requires: ['asyncio', handoffWords('thread'), [...lastNames(TASK_FUNCTIONS), ...LOOP_METHODS, ...QUEUE_METHODS, ...EVENT_METHODS, ...FUTURE_METHODS]],
  docs: `
    ## What it does
    Inside a function that runs in a worker thread (a \`threading.Thread\` target, a function
    submitted to a \`ThreadPoolExecutor\` or \`ThreadPool\`, passed to \`asyncio.to_thread\` or
    \`loop.run_in_executor\`, or the \`run()\` of a \`Thread\` subclass), flags direct use of
    asyncio objects that belong to the event loop's thread: \`loop.call_soon\`,
    \`loop.call_later\`, \`loop.call_at\`, \`loop.create_task\`, \`asyncio.create_task\`,
    \`asyncio.ensure_future\`, \`put_nowait()\`/\`get_nowait()\` on an \`asyncio.Queue\`,
    \`set()\`/\`clear()\` on an \`asyncio.Event\`, and \`set_result()\`/\`set_exception()\` on an
    \`asyncio.Future\`. A loop that the thread creates for itself (\`loop = asyncio.new_event_loop()\`
    in the same function) or runs itself (\`loop.run_forever()\`) is its own and is left alone.
    Functions called from the worker are not followed.

    ## Why is this bad?
    An event loop and the objects tied to it are not thread-safe: they assume that only the
    loop's thread touches them. From another thread, \`call_soon\` appends to the loop's queue
    without waking the loop up, so the callback may run much later or never; \`put_nowait\` and
    \`set_result\` wake waiting tasks through the loop the same unsafe way, and both can corrupt
    the loop's state when they race with it. \`asyncio.create_task\` needs a running loop in the
    current thread and raises \`RuntimeError\` in a worker thread.

    ## Example
    \`\`\`python
    import asyncio
    import threading


    def produce(loop, queue):
        for i in range(3):
            loop.call_soon(queue.put_nowait, i)  # not thread-safe: the loop may sleep on


    async def main():
        loop = asyncio.get_running_loop()
        queue = asyncio.Queue()
        threading.Thread(target=produce, args=(loop, queue)).start()
        for _ in range(3):
            print(await queue.get())


    asyncio.run(main())
    \`\`\`

    ## Use instead
    Hand the work to the loop's thread: \`loop.call_soon_threadsafe(callback, *args)\` for a
    callback (also for \`queue.put_nowait\`, \`event.set\` or \`future.set_result\`), and
    \`asyncio.run_coroutine_threadsafe(coro, loop)\` for a coroutine, which returns a
    \`concurrent.futures.Future\` the thread can wait on.

    \`\`\`python
    import asyncio
    import threading


    def produce(loop, queue):
        for i in range(3):
            loop.call_soon_threadsafe(queue.put_nowait, i)


    async def main():
        loop = asyncio.get_running_loop()
        queue = asyncio.Queue()
        threading.Thread(target=produce, args=(loop, queue)).start()
        for _ in range(3):
            print(await queue.get())


    asyncio.run(main())
    \`\`\`

    ## Fix safety
    Safe: \`loop.call_soon(...)\` becomes \`loop.call_soon_threadsafe(...)\`, which takes the same
    arguments, schedules the same callback and also wakes the loop up. The other cases have no
    fix, because they need a reference to the loop.

    ## References
    - [Concurrency and multithreading in asyncio](https://docs.python.org/3/library/asyncio-dev.html#concurrency-and-multithreading)
    - [loop.call_soon_threadsafe](https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.call_soon_threadsafe)
    - [asyncio.run_coroutine_threadsafe](https://docs.python.org/3/library/asyncio-task.html#asyncio.run_coroutine_threadsafe)
  `,
  check(ctx) {
    const { module } = ctx;
    if (!module.importsModule('asyncio')) return;
    for (const worker of workerFunctions(module, 'thread')) {
      if (isAsyncDef(worker.fn)) continue;
      for (const call of worker.fn.descendantsOfType('call')) {
        if (call && owningScope(call).id === worker.fn.id) checkCall(ctx, worker, call);
      }
    }
  },
});
