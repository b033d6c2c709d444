// asyncio, plus the `async def` and `await` keywords.
import { ApiEntry, DOCS } from './apiTypes';
import { gilBrief, isFreeThreaded, PythonAssumption } from './gil';

const TASK = `${DOCS}asyncio-task.html`;
const RUN = `${DOCS}asyncio-runner.html`;
const LOOP = `${DOCS}asyncio-eventloop.html`;
const SYNC = `${DOCS}asyncio-sync.html`;
const REF = 'https://docs.python.org/3/reference/';

const loopGil = (py: PythonAssumption) => gilBrief(py, 'asyncio');

const offloadGil = (py: PythonAssumption) =>
  'The function runs in a worker thread, which is right for blocking I/O. '
  + (isFreeThreaded(py)
    ? 'On this free-threaded build CPU-bound code runs there in parallel with the loop.'
    : 'CPU-bound Python code still holds the GIL there, slowing the event loop\'s thread too; use a process pool.');

export const asyncioApis: ApiEntry[] = [
  {
    name: 'asyncio',
    title: 'asyncio',
    model: 'asyncio',
    summary: 'Single-threaded concurrency with `async`/`await`: an event loop switches between coroutines '
      + 'whenever one awaits I/O, a timer or another task.',
    gil: loopGil,
    pitfall: 'Calling blocking code (time.sleep, requests, plain file reads) inside a coroutine: the whole loop stops. '
      + 'Await an async API, or offload with `asyncio.to_thread()`.',
    docsUrl: `${DOCS}asyncio.html`,
    relatedRules: ['PCC101', 'PCC102', 'PCC103', 'PCC104', 'PCC105', 'PCC106'],
  },
  {
    name: 'asyncio.run',
    title: 'Run the event loop',
    model: 'asyncio',
    summary: 'Creates an event loop, runs the coroutine to completion, then cancels leftover tasks and closes the '
      + 'loop. Meant to be called once, as the program\'s entry point.',
    gil: loopGil,
    pitfall: 'Calling it from inside a coroutine, or where a loop already runs (e.g. Jupyter): RuntimeError. '
      + 'Inside async code, just `await` the coroutine.',
    docsUrl: `${RUN}#asyncio.run`,
    relatedRules: ['PCC112'],
  },
  {
    name: 'asyncio.Runner',
    title: 'Reusable event loop runner',
    model: 'asyncio',
    summary: 'A context manager that keeps one event loop open across several `runner.run(coro)` calls and closes '
      + 'it on exit.',
    gil: loopGil,
    pitfall: 'Calling `asyncio.run()` once per item instead: each call builds a new loop, so clients, connections '
      + 'and tasks tied to the previous loop cannot be reused. Keep one Runner.',
    since: '3.11',
    docsUrl: `${RUN}#asyncio.Runner`,
    relatedRules: ['PCC112'],
  },
  {
    name: 'asyncio.gather',
    title: 'Gather results',
    model: 'asyncio',
    summary: 'Runs awaitables concurrently and returns their results as a list in the order given.',
    gil: loopGil,
    pitfall: 'Passing `return_exceptions=True` and never checking the list: failures come back as exception objects '
      + 'mixed in with results and nobody sees them. Without it, the first error propagates while the others keep running.',
    docsUrl: `${TASK}#asyncio.gather`,
    relatedRules: ['PCC119', 'PCC110'],
  },
  {
    name: 'asyncio.create_task',
    title: 'Start a task',
    model: 'asyncio',
    summary: 'Wraps a coroutine in a Task scheduled to run concurrently, and returns the Task at once.',
    gil: loopGil,
    pitfall: 'Discarding the returned Task: the loop keeps only a weak reference, so the task can be garbage-collected '
      + 'mid-run and its exception is never seen. Keep a reference, or use a TaskGroup.',
    docsUrl: `${TASK}#asyncio.create_task`,
    relatedRules: ['PCC111', 'PCC304'],
  },
  {
    name: 'asyncio.TaskGroup',
    title: 'Task group',
    model: 'asyncio',
    summary: '`async with asyncio.TaskGroup() as tg:` starts tasks with `tg.create_task()` and waits for all of them '
      + 'on exit. If one fails, the others are cancelled and the errors are raised together in an ExceptionGroup.',
    gil: loopGil,
    pitfall: 'Catching a failure with `except ValueError:` around the block: errors arrive wrapped in an '
      + 'ExceptionGroup, so write `except* ValueError:`.',
    since: '3.11',
    docsUrl: `${TASK}#asyncio.TaskGroup`,
    relatedRules: ['PCC111', 'PCC115'],
  },
  {
    name: 'asyncio.wait',
    title: 'Wait for tasks',
    model: 'asyncio',
    summary: 'Waits for Tasks/Futures until all, the first, or the first failing one completes, and returns '
      + '`(done, pending)` sets without raising.',
    gil: loopGil,
    pitfall: 'Assuming a timeout stops the work: tasks still pending keep running, and failures sit silently in '
      + '`done` until `.result()` is called. Since 3.11 it also rejects bare coroutines; wrap them in `create_task()`.',
    docsUrl: `${TASK}#asyncio.wait`,
    relatedRules: ['PCC110'],
  },
  {
    name: 'asyncio.wait_for',
    title: 'Await with a timeout',
    model: 'asyncio',
    summary: 'Awaits one awaitable; if it takes longer than the timeout, it is cancelled and TimeoutError is raised.',
    gil: loopGil,
    pitfall: 'Timing out `asyncio.to_thread(f)` and expecting the thread to stop: cancelling only abandons the wait, '
      + 'and `f` keeps running in its thread.',
    docsUrl: `${TASK}#asyncio.wait_for`,
    relatedRules: ['PCC110'],
  },
  {
    name: 'asyncio.timeout',
    title: 'Timeout block',
    model: 'asyncio',
    summary: '`async with asyncio.timeout(5):` cancels the enclosed block if it runs too long and raises '
      + 'TimeoutError when the block is left.',
    gil: loopGil,
    pitfall: 'Catching TimeoutError inside the block: inside, the timeout arrives as cancellation and only becomes '
      + 'TimeoutError on leaving the `async with`, so catch it outside (and never swallow CancelledError).',
    since: '3.11',
    docsUrl: `${TASK}#asyncio.timeout`,
    relatedRules: ['PCC115'],
  },
  {
    name: 'asyncio.sleep',
    title: 'Non-blocking sleep',
    model: 'asyncio',
    summary: 'Suspends the current coroutine for a delay while other tasks run; `await asyncio.sleep(0)` just '
      + 'yields control once.',
    gil: loopGil,
    pitfall: 'Calling it without `await`: it only creates a coroutine object, so there is no pause, and Python warns '
      + 'that the coroutine was never awaited.',
    docsUrl: `${TASK}#asyncio.sleep`,
    relatedRules: ['PCC110', 'PCC101', 'PCC114'],
  },
  {
    name: 'asyncio.to_thread',
    title: 'Run in a thread',
    model: 'asyncio',
    summary: 'Runs a blocking function in a worker thread and awaits its result, keeping the event loop responsive.',
    gil: offloadGil,
    pitfall: 'Writing `to_thread(fetch(url))`: `fetch` runs right now, on the event loop, and its result is passed. '
      + 'Write `to_thread(fetch, url)`.',
    docsUrl: `${TASK}#asyncio.to_thread`,
    relatedRules: ['PCC202', 'PCC102', 'PCC103', 'PCC104', 'PCC105', 'PCC106'],
  },
  {
    name: 'asyncio.AbstractEventLoop.run_in_executor',
    title: 'loop.run_in_executor',
    model: 'asyncio',
    summary: 'Runs `func(*args)` in an executor (the default thread pool when it is `None`) and returns an awaitable '
      + 'Future. Pass a ProcessPoolExecutor for CPU-bound work.',
    gil: (py) => offloadGil(py) + ' With a ProcessPoolExecutor each worker has its own GIL.',
    pitfall: 'Passing keyword arguments: it accepts positional ones only. Use `functools.partial(func, x, key=v)`, '
      + 'or `asyncio.to_thread()`, which takes keywords.',
    docsUrl: `${LOOP}#asyncio.loop.run_in_executor`,
    relatedRules: ['PCC202'],
  },
  {
    name: 'asyncio.Queue',
    title: 'Queue (asyncio)',
    model: 'asyncio',
    summary: 'A FIFO queue for coroutines of one event loop: `await q.put()` and `await q.get()` suspend the task '
      + 'instead of blocking the thread.',
    gil: loopGil,
    pitfall: 'Calling `put_nowait()` from another thread: asyncio queues are not thread-safe. Use '
      + '`loop.call_soon_threadsafe(q.put_nowait, item)`.',
    docsUrl: `${DOCS}asyncio-queue.html#asyncio.Queue`,
    relatedRules: ['PCC304', 'PCC110'],
  },
  {
    name: 'asyncio.Lock',
    title: 'Lock (asyncio)',
    model: 'asyncio',
    summary: 'Mutual exclusion between coroutines of one event loop, used as `async with lock:`.',
    gil: loopGil,
    pitfall: 'Writing `with lock:` instead of `async with lock:`: it fails at run time (TypeError from 3.11, '
      + 'AttributeError before). It also only excludes coroutines on the same loop, never threads.',
    docsUrl: `${SYNC}#asyncio.Lock`,
    relatedRules: ['PCC116', 'PCC302'],
  },
  {
    name: 'asyncio.Semaphore',
    title: 'Semaphore (asyncio)',
    model: 'asyncio',
    summary: 'Lets at most N coroutines into a section at once; the usual way to cap concurrent requests.',
    gil: loopGil,
    pitfall: 'Creating it inside the coroutine being limited: each call gets its own semaphore and nothing is '
      + 'limited. Create it once and share it.',
    docsUrl: `${SYNC}#asyncio.Semaphore`,
    relatedRules: ['PCC116', 'PCC302'],
  },
  {
    name: 'asyncio.Event',
    title: 'Event (asyncio)',
    model: 'asyncio',
    summary: 'A flag coroutines can wait on: `await event.wait()` suspends until another task calls `event.set()`.',
    gil: loopGil,
    pitfall: 'Polling a boolean instead (`while not done: await asyncio.sleep(0.1)`): it wakes up for nothing and '
      + 'adds latency. Await an Event.',
    docsUrl: `${SYNC}#asyncio.Event`,
    relatedRules: ['PCC114', 'PCC110'],
  },
  {
    name: 'asyncio.Condition',
    title: 'Condition (asyncio)',
    model: 'asyncio',
    summary: 'An asyncio Lock plus notification: waiters use `async with cond: await cond.wait_for(pred)`, '
      + 'and the task that changed the state calls `cond.notify()`.',
    gil: loopGil,
    pitfall: 'Calling `cond.notify()` without holding the condition: RuntimeError. Do it inside `async with cond:`.',
    docsUrl: `${SYNC}#asyncio.Condition`,
    relatedRules: ['PCC116'],
  },
  {
    name: 'asyncio.shield',
    title: 'Shield from cancellation',
    model: 'asyncio',
    summary: 'Keeps an awaitable running when the task awaiting it is cancelled.',
    gil: loopGil,
    pitfall: 'Expecting the caller to carry on: `await shield(x)` still raises CancelledError in the cancelled task; '
      + 'only `x` survives. Keep a reference to `x` if you need its result.',
    docsUrl: `${TASK}#asyncio.shield`,
    relatedRules: ['PCC115'],
  },
  {
    name: 'asyncio.as_completed',
    title: 'Results as they finish',
    model: 'asyncio',
    summary: 'Iterates over awaitables in the order they finish, so each result can be handled as soon as it is ready.',
    gil: loopGil,
    pitfall: 'Treating what a plain `for` yields as your original tasks: they are new awaitables, so lookups by task '
      + 'fail. From 3.13, `async for` yields the original tasks.',
    docsUrl: `${TASK}#asyncio.as_completed`,
    relatedRules: ['PCC110'],
  },
  {
    name: 'asyncio.run_coroutine_threadsafe',
    title: 'Submit from another thread',
    model: 'asyncio',
    summary: 'Schedules a coroutine on an event loop running in another thread and returns a '
      + '`concurrent.futures.Future` for its result.',
    gil: loopGil,
    pitfall: 'Calling it from the loop\'s own thread and then `.result()`: the thread waits for a loop that can no '
      + 'longer run, a deadlock. On the loop thread, `await` the coroutine or use `create_task()`.',
    docsUrl: `${TASK}#asyncio.run_coroutine_threadsafe`,
    relatedRules: ['PCC304', 'PCC106'],
  },
  {
    name: 'asyncio.get_running_loop',
    title: 'Current event loop',
    model: 'asyncio',
    summary: 'Returns the event loop running in the current thread; raises RuntimeError when none is running.',
    gil: loopGil,
    pitfall: 'Calling it at import time or in plain synchronous code to keep a loop for later: no loop is running '
      + 'yet. Call it inside a coroutine, where a loop always runs.',
    docsUrl: `${LOOP}#asyncio.get_running_loop`,
    relatedRules: ['PCC117'],
  },
  {
    name: 'keyword:async',
    title: '`async def`',
    model: 'asyncio',
    summary: 'Defines a coroutine function. Calling it does not run the body: it returns a coroutine object that '
      + 'runs when awaited or wrapped in a task.',
    gil: loopGil,
    pitfall: 'Calling `fetch()` without `await`: nothing runs, and Python later warns that the coroutine was never awaited.',
    docsUrl: `${REF}compound_stmts.html#async-def`,
    relatedRules: ['PCC110', 'PCC113', 'PCC118'],
  },
  {
    name: 'keyword:await',
    title: '`await`',
    model: 'asyncio',
    summary: 'Suspends the current coroutine until the awaitable finishes, letting the event loop run other tasks '
      + 'meanwhile. Valid only inside `async def`.',
    gil: loopGil,
    pitfall: 'Awaiting one call at a time in a loop (`for u in urls: await fetch(u)`): they run one after another. '
      + 'Start them together with `gather()` or a TaskGroup.',
    docsUrl: `${REF}expressions.html#await`,
    relatedRules: ['PCC113', 'PCC110'],
  },
];
