// Known constructors of concurrency objects. An object's "kind" is the qualified name of the
// constructor it came from, so rules can ask precise questions ("is this a threading lock?").

const THREADS = ['threading.Thread', 'threading.Timer'];
const PROCESSES = ['multiprocessing.Process', 'multiprocessing.context.Process'];
const THREAD_LOCKS = [
  'threading.Lock', 'threading.RLock', 'threading.Semaphore', 'threading.BoundedSemaphore',
  'threading.Condition', '_thread.allocate_lock', '_thread.RLock', '_thread.LockType',
];
const PROCESS_LOCKS = [
  'multiprocessing.Lock', 'multiprocessing.RLock', 'multiprocessing.Semaphore',
  'multiprocessing.BoundedSemaphore', 'multiprocessing.Condition',
];
const ASYNC_PRIMITIVES = [
  'asyncio.Lock', 'asyncio.Semaphore', 'asyncio.BoundedSemaphore', 'asyncio.Condition', 'asyncio.Event',
  'asyncio.Queue', 'asyncio.LifoQueue', 'asyncio.PriorityQueue', 'asyncio.Barrier',
];
const OTHER = [
  'threading.Event', 'threading.Barrier', 'multiprocessing.Event', 'multiprocessing.Barrier',
  'queue.Queue', 'queue.LifoQueue', 'queue.PriorityQueue', 'queue.SimpleQueue',
  'multiprocessing.Queue', 'multiprocessing.JoinableQueue', 'multiprocessing.SimpleQueue',
  'concurrent.futures.ThreadPoolExecutor', 'concurrent.futures.ProcessPoolExecutor',
  'concurrent.futures.InterpreterPoolExecutor', 'concurrent.futures.Future',
  'multiprocessing.Pool', 'multiprocessing.pool.Pool', 'multiprocessing.pool.ThreadPool',
  'multiprocessing.Manager', 'multiprocessing.get_context',
  'requests.Session', 'httpx.Client', 'urllib3.PoolManager', 'socket.socket',
];

export const KIND = {
  thread: new Set(THREADS),
  process: new Set(PROCESSES),
  worker: new Set([...THREADS, ...PROCESSES]),
  /** Locks and semaphores of the thread and process worlds (acquire/release). */
  syncLock: new Set([...THREAD_LOCKS, ...PROCESS_LOCKS]),
  asyncPrimitive: new Set(ASYNC_PRIMITIVES),
};

export const KNOWN_CONSTRUCTORS = new Set([
  ...THREADS, ...PROCESSES, ...THREAD_LOCKS, ...PROCESS_LOCKS, ...ASYNC_PRIMITIVES, ...OTHER,
]);

/** The last names of the known constructors (`Thread`, `Lock`): `x.Name(...)` makes one only if `Name` is among them. */
export const CONSTRUCTOR_NAMES = new Set([...KNOWN_CONSTRUCTORS].map((k) => k.slice(k.lastIndexOf('.') + 1)));

/** `ctx.Process(...)` on a context from `multiprocessing.get_context()` makes a multiprocessing object. */
export const CONTEXT_FACTORIES = new Map([['multiprocessing.get_context', 'multiprocessing']]);

/**
 * Words a module's code must hold to make an object of one of the kinds, or to call one of the
 * qualified names (`Rule.requires`): their last names (`threading.Lock` → `Lock`). A kind or
 * qualified name comes only from a callee, base class or annotation that resolves to it, and the
 * last name is then written in the code: as the attribute (`th.Lock`, `ctx.Process`), or in the
 * import that binds the name (`from threading import Lock as L`); for a notebook cell, analyses
 * count the names imported by the other cells as its words.
 */
export function lastNames(qualified: Iterable<string>): string[] {
  return [...new Set([...qualified].map((name) => name.slice(name.lastIndexOf('.') + 1)))];
}

/** Human word for a kind, used in messages. */
export function kindNoun(kind: string): string {
  if (KIND.thread.has(kind)) return 'Thread';
  if (KIND.process.has(kind)) return 'Process';
  const last = kind.split('.').pop() ?? kind;
  return last === 'allocate_lock' || last === 'LockType' ? 'Lock' : last;
}
