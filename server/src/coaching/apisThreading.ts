// threading, queue and time.sleep.
import { ApiEntry, DOCS } from './apiTypes';
import { gilBrief, isFreeThreaded, PythonAssumption } from './gil';

const T = `${DOCS}threading.html`;
const Q = `${DOCS}queue.html`;

const threadsGil = (py: PythonAssumption) => gilBrief(py, 'threads');

const lockGil = (py: PythonAssumption) =>
  'The GIL never made read-modify-write steps like `counter += 1` atomic: a thread can be switched out '
  + 'between the read and the write, so the lock is needed on every build.'
  + (isFreeThreaded(py) ? ' Without the GIL such races show up far more often.' : '');

const queueGil = (py: PythonAssumption) =>
  'All locking happens inside the queue, and a blocked `get()`/`put()` releases the GIL while it waits.'
  + (isFreeThreaded(py) ? ' It stays safe on this free-threaded build.' : '');

export const threadingApis: ApiEntry[] = [
  {
    name: 'threading',
    title: 'Threads',
    model: 'threads',
    summary: 'OS threads plus the locks, events and conditions that coordinate them. '
      + 'Threads share memory, so data used by more than one needs a lock or a thread-safe queue.',
    gil: threadsGil,
    pitfall: 'Adding threads to speed up a pure-Python loop: on the default build they take turns on the GIL, '
      + 'so the total time stays the same or grows.',
    docsUrl: T,
    relatedRules: ['PCC201', 'PCC207', 'PCC208', 'PCC209'],
  },
  {
    name: 'threading.Thread',
    title: 'Thread',
    model: 'threads',
    summary: 'Runs `target(*args, **kwargs)` in a new OS thread once `start()` is called; `join()` waits for it. '
      + 'A `daemon=True` thread is killed abruptly when the program exits.',
    gil: threadsGil,
    pitfall: 'Writing `Thread(target=work(x))`: `work(x)` runs right away in the current thread and its return '
      + 'value becomes the target. Pass `target=work, args=(x,)`.',
    docsUrl: `${T}#threading.Thread`,
    relatedRules: ['PCC201', 'PCC202', 'PCC203', 'PCC204', 'PCC205', 'PCC206', 'PCC207', 'PCC208'],
  },
  {
    name: 'threading.Lock',
    title: 'Lock',
    model: 'threads',
    summary: 'Mutual exclusion: one thread at a time holds it. Use `with lock:` so it is released even when '
      + 'the block raises.',
    gil: lockGil,
    pitfall: 'Writing `with threading.Lock():` where the data is used: each entry makes a fresh lock that excludes '
      + 'nobody. Create the lock once, at module or instance level, and share it.',
    docsUrl: `${T}#threading.Lock`,
    relatedRules: ['PCC301', 'PCC302', 'PCC303', 'PCC106', 'PCC116', 'PCC208'],
  },
  {
    name: 'threading.RLock',
    title: 'Re-entrant lock',
    model: 'threads',
    summary: 'A lock the owning thread may acquire again; it must release it as many times as it acquired it. '
      + 'Useful when one locked method calls another.',
    gil: lockGil,
    pitfall: 'Releasing it from a thread that does not own it: unlike `Lock`, an `RLock` has an owner, and this '
      + 'raises RuntimeError.',
    docsUrl: `${T}#threading.RLock`,
    relatedRules: ['PCC301', 'PCC302', 'PCC303'],
  },
  {
    name: 'threading.Condition',
    title: 'Condition variable',
    model: 'threads',
    summary: 'Lets threads wait until shared state changes: a waiter calls `wait()` while holding the condition, '
      + 'and the thread that changed the state calls `notify()` or `notify_all()`.',
    gil: 'The GIL neither orders nor protects your state; the condition\'s lock does. Hold it both when '
      + 'changing the state and when testing it.',
    pitfall: 'Calling `cond.wait()` after a plain `if`: a wake-up does not guarantee the state you want. '
      + 'Test in a `while` loop, or use `cond.wait_for(predicate)`.',
    docsUrl: `${T}#threading.Condition`,
    relatedRules: ['PCC302', 'PCC106', 'PCC209'],
  },
  {
    name: 'threading.Semaphore',
    title: 'Semaphore',
    model: 'threads',
    summary: 'A counter that lets at most N threads into a section at once, e.g. to cap open connections. '
      + '`acquire()` blocks while the counter is zero.',
    gil: 'It limits how many threads enter; it does not make the code inside safe among those N threads, '
      + 'with or without the GIL.',
    pitfall: 'Calling `release()` more often than `acquire()` (say, in an error path) silently raises the limit. '
      + 'A `BoundedSemaphore` turns that into a ValueError.',
    docsUrl: `${T}#threading.Semaphore`,
    relatedRules: ['PCC301', 'PCC302', 'PCC106'],
  },
  {
    name: 'threading.BoundedSemaphore',
    title: 'Bounded semaphore',
    model: 'threads',
    summary: 'A Semaphore that raises ValueError when released more times than it was acquired, '
      + 'so unbalanced releases show up at once.',
    gil: 'It limits how many threads enter; the code inside still needs its own protection for shared data.',
    pitfall: 'Acquiring without `with` and returning early on an error: the permit is never given back, '
      + 'and the pool drains until every thread blocks.',
    docsUrl: `${T}#threading.BoundedSemaphore`,
    relatedRules: ['PCC301', 'PCC302'],
  },
  {
    name: 'threading.Event',
    title: 'Event',
    model: 'threads',
    summary: 'A flag threads can wait on: `set()` wakes every waiter, `clear()` resets it, '
      + '`wait(timeout)` blocks until it is set and returns whether it was.',
    gil: 'A thread blocked in `wait()` releases the GIL and uses no CPU, unlike a polling loop.',
    pitfall: 'Calling `event.wait()` inside `async def`: it blocks the whole event loop. Use `asyncio.Event` '
      + 'there, or `await asyncio.to_thread(event.wait)`.',
    docsUrl: `${T}#threading.Event`,
    relatedRules: ['PCC106', 'PCC209'],
  },
  {
    name: 'threading.Barrier',
    title: 'Barrier',
    model: 'threads',
    summary: 'Holds a fixed number of threads (`parties`) at `wait()` until all of them have arrived, '
      + 'then releases them together.',
    gil: 'It only synchronises arrival; waiting threads release the GIL.',
    pitfall: 'Starting fewer threads than `parties`: those that arrive wait forever, or raise '
      + 'BrokenBarrierError if a timeout was given.',
    docsUrl: `${T}#threading.Barrier`,
  },
  {
    name: 'threading.Timer',
    title: 'Timer',
    model: 'threads',
    summary: 'A Thread that calls a function once after a delay; `cancel()` stops it if it has not fired yet.',
    gil: threadsGil,
    pitfall: 'Expecting it to repeat: it fires once. For a periodic job, loop on `stop.wait(interval)` in a '
      + 'thread, which also gives you a clean way to stop it.',
    docsUrl: `${T}#threading.Timer`,
    relatedRules: ['PCC203', 'PCC201'],
  },
  {
    name: 'threading.local',
    title: 'Thread-local data',
    model: 'threads',
    summary: 'An object whose attributes are separate per thread: each thread sees only the values it set itself.',
    gil: 'It gives isolation, not speed; each thread\'s values are private on every build.',
    pitfall: 'Using it inside a thread pool and expecting a fresh value per task: pool threads are reused, '
      + 'so what one task stored is still there for the next task on that worker.',
    docsUrl: `${T}#threading.local`,
  },
  {
    name: 'queue',
    title: 'Thread-safe queues',
    model: 'threads',
    summary: 'FIFO, LIFO and priority queues for handing work between threads of one process; '
      + 'all locking is done inside.',
    gil: queueGil,
    pitfall: 'Using `queue.Queue` between processes or between asyncio tasks: it only works across threads. '
      + 'Use `multiprocessing.Queue` or `asyncio.Queue` there.',
    docsUrl: Q,
    relatedRules: ['PCC106'],
  },
  {
    name: 'queue.Queue',
    title: 'Queue (threads)',
    model: 'threads',
    summary: 'A thread-safe FIFO queue: `put()`/`get()` block when it is full/empty, and `task_done()` with '
      + '`join()` lets a producer wait until every item has been processed.',
    gil: queueGil,
    pitfall: 'A worker loop around `q.get()` with no way out: it blocks forever once work runs dry. Put one '
      + 'sentinel (e.g. `None`) per worker, or on 3.13+ call `q.shutdown()`.',
    docsUrl: `${Q}#queue.Queue`,
    relatedRules: ['PCC106'],
  },
  {
    name: 'queue.LifoQueue',
    title: 'LIFO queue (stack)',
    model: 'threads',
    summary: 'A thread-safe stack: `get()` returns the item added most recently.',
    gil: queueGil,
    pitfall: 'Using it as a work queue under steady load: new items keep jumping ahead, so the oldest ones can wait '
      + 'indefinitely at the bottom.',
    docsUrl: `${Q}#queue.LifoQueue`,
    relatedRules: ['PCC106'],
  },
  {
    name: 'queue.PriorityQueue',
    title: 'Priority queue',
    model: 'threads',
    summary: 'A thread-safe queue that hands out the lowest entry first; entries are usually `(priority, data)` tuples.',
    gil: queueGil,
    pitfall: 'Two entries with the same priority make Python compare the data, which raises TypeError for dicts or '
      + 'most objects. Add a tie-breaker: `(priority, next(counter), data)`.',
    docsUrl: `${Q}#queue.PriorityQueue`,
    relatedRules: ['PCC106'],
  },
  {
    name: 'queue.SimpleQueue',
    title: 'Simple queue',
    model: 'threads',
    summary: 'An unbounded FIFO queue with less overhead than `Queue`; it has no `maxsize`, '
      + '`task_done()` or `join()`.',
    gil: queueGil,
    pitfall: 'Reaching for `q.join()` to wait until all work is done: SimpleQueue has no such method. '
      + 'Use `queue.Queue` when you need it.',
    docsUrl: `${Q}#queue.SimpleQueue`,
    relatedRules: ['PCC106'],
  },
  {
    name: 'time.sleep',
    title: 'Blocking sleep',
    model: 'general',
    summary: 'Suspends the calling thread for the given number of seconds.',
    gil: 'It releases the GIL while sleeping, so other threads run; but an event loop runs on this very '
      + 'thread, so inside `async def` nothing else runs until it returns.',
    pitfall: 'Calling it inside `async def`: every other coroutine freezes for the whole pause. '
      + 'Use `await asyncio.sleep(...)`.',
    docsUrl: `${DOCS}time.html#time.sleep`,
    relatedRules: ['PCC101'],
  },
];
