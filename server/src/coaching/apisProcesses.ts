// multiprocessing and concurrent.futures.
import { ApiEntry, DOCS } from './apiTypes';
import { gilBrief, isFreeThreaded, PythonAssumption } from './gil';

const MP = `${DOCS}multiprocessing.html`;
const CF = `${DOCS}concurrent.futures.html`;

const processGil = (py: PythonAssumption) => gilBrief(py, 'processes');
const threadsGil = (py: PythonAssumption) => gilBrief(py, 'threads');

const sharedGil = 'Each process has its own GIL, so the GIL protects nothing here: '
  + 'only this object\'s own lock coordinates processes.';

const startGil = 'However a child is started, it gets its own interpreter and its own GIL.';

export const processApis: ApiEntry[] = [
  {
    name: 'multiprocessing',
    title: 'Processes',
    model: 'processes',
    summary: 'Runs Python code in separate processes, each with its own interpreter and memory, '
      + 'plus queues, pipes, managers and shared values to talk between them.',
    gil: processGil,
    pitfall: 'Starting processes at module level without `if __name__ == "__main__":`: under spawn (Windows, macOS) '
      + 'and forkserver (the Linux default from 3.14) each child re-imports your script and runs that code again.',
    docsUrl: MP,
    relatedRules: ['PCC401', 'PCC402', 'PCC201'],
  },
  {
    name: 'multiprocessing.Process',
    title: 'Process',
    model: 'processes',
    summary: 'Runs `target(*args)` in a child process: `start()` launches it, `join()` waits for it. '
      + 'The child works on its own memory.',
    gil: processGil,
    pitfall: 'Having the child append to a global list and expecting the parent to see it: the child changed '
      + 'its own copy. Send results back through a Queue or Pipe, or use a Pool.',
    docsUrl: `${MP}#multiprocessing.Process`,
    relatedRules: ['PCC201', 'PCC202', 'PCC203', 'PCC204', 'PCC205', 'PCC401', 'PCC402'],
  },
  {
    name: 'multiprocessing.Pool',
    title: 'Process pool',
    model: 'processes',
    summary: 'A pool of worker processes: `map()` spreads an iterable across them, `apply_async()` submits one '
      + 'call and returns an AsyncResult.',
    gil: processGil,
    pitfall: 'Leaving `with Pool() as pool:` before collecting `apply_async`/`map_async` results: exiting the block '
      + 'calls `terminate()` and kills unfinished work. Call `.get()` inside the block, or `close()` then `join()`.',
    docsUrl: `${MP}#multiprocessing.pool.Pool`,
    relatedRules: ['PCC401', 'PCC402', 'PCC403', 'PCC404', 'PCC106'],
  },
  {
    name: 'multiprocessing.Queue',
    title: 'Queue (processes)',
    model: 'processes',
    summary: 'A FIFO queue shared between processes: items are pickled and sent through a pipe by a background '
      + 'feeder thread.',
    gil: processGil,
    pitfall: 'Joining a child before reading what it put on the queue: the child cannot exit until its buffered '
      + 'items are consumed, so `join()` deadlocks. Get the results first, then join.',
    docsUrl: `${MP}#multiprocessing.Queue`,
    relatedRules: ['PCC201', 'PCC106'],
  },
  {
    name: 'multiprocessing.Pipe',
    title: 'Pipe',
    model: 'processes',
    summary: 'Returns two Connection objects joined by a pipe (two-way by default): `send()` pickles an object, '
      + '`recv()` blocks until one arrives.',
    gil: processGil,
    pitfall: 'Letting two processes read from, or write to, the same end at once: messages can get corrupted. '
      + 'Give each end to one process, or use a Queue for many-to-many.',
    docsUrl: `${MP}#multiprocessing.Pipe`,
  },
  {
    name: 'multiprocessing.Manager',
    title: 'Manager',
    model: 'processes',
    summary: 'Starts a server process that owns Python objects (dict, list, Lock, ...) and hands out proxies '
      + 'that other processes use to reach them.',
    gil: processGil,
    pitfall: 'Mutating a plain list stored in a managed dict: `shared["items"].append(x)` changes a local copy. '
      + 'Read it, change it, and assign it back: `shared["items"] = items`.',
    docsUrl: `${MP}#multiprocessing.Manager`,
    relatedRules: ['PCC401'],
  },
  {
    name: 'multiprocessing.Value',
    title: 'Shared value',
    model: 'processes',
    summary: 'One ctypes value in shared memory, e.g. `Value("i", 0)`, guarded by a lock by default.',
    gil: sharedGil,
    pitfall: '`counter.value += 1` from several processes loses updates: the built-in lock covers the read and '
      + 'the write separately. Wrap it: `with counter.get_lock(): counter.value += 1`.',
    docsUrl: `${MP}#multiprocessing.Value`,
    relatedRules: ['PCC208'],
  },
  {
    name: 'multiprocessing.Array',
    title: 'Shared array',
    model: 'processes',
    summary: 'A fixed-size ctypes array in shared memory, e.g. `Array("d", 100)`, guarded by a lock by default.',
    gil: sharedGil,
    pitfall: 'Updating several elements as one step without `with arr.get_lock():`: other processes can read '
      + 'a half-written state.',
    docsUrl: `${MP}#multiprocessing.Array`,
    relatedRules: ['PCC208'],
  },
  {
    name: 'multiprocessing.Lock',
    title: 'Lock (processes)',
    model: 'processes',
    summary: 'A lock that works across processes (and threads), with the same interface as `threading.Lock`.',
    gil: sharedGil,
    pitfall: 'Creating the lock inside the worker function: each process gets its own lock and nothing is excluded. '
      + 'Create it in the parent and pass it to the children.',
    docsUrl: `${MP}#multiprocessing.Lock`,
    relatedRules: ['PCC301', 'PCC302'],
  },
  {
    name: 'multiprocessing.set_start_method',
    title: 'Set start method',
    model: 'processes',
    summary: 'Chooses how children start: "fork", "spawn" or "forkserver". Call it at most once, under the main '
      + 'guard, before creating any process.',
    gil: startGil,
    pitfall: 'Calling it from a library or a second time: it raises RuntimeError ("context has already been set"). '
      + 'Libraries should use `get_context(method)` instead.',
    docsUrl: `${MP}#multiprocessing.set_start_method`,
    relatedRules: ['PCC401'],
  },
  {
    name: 'multiprocessing.get_start_method',
    title: 'Get start method',
    model: 'processes',
    summary: 'Returns the start method in use. The default is "spawn" on Windows and macOS; on Linux it is '
      + '"fork" up to 3.13 and "forkserver" from 3.14.',
    gil: startGil,
    pitfall: 'Assuming "fork" because it was the Linux default for years: code that relies on children inheriting '
      + 'globals or unpicklable objects breaks on 3.14, macOS and Windows.',
    docsUrl: `${MP}#multiprocessing.get_start_method`,
    relatedRules: ['PCC401', 'PCC402'],
  },
  {
    name: 'multiprocessing.get_context',
    title: 'Start-method context',
    model: 'processes',
    summary: 'Returns an object with the module\'s API (Process, Queue, Pool, ...) bound to one start method, '
      + 'without changing the global default.',
    gil: startGil,
    pitfall: 'Mixing contexts, e.g. passing a lock made by a "fork" context to a process started with "spawn" or '
      + '"forkserver": it is not compatible. Create related objects from the same context.',
    docsUrl: `${MP}#multiprocessing.get_context`,
    relatedRules: ['PCC401'],
  },
  {
    name: 'concurrent.futures',
    title: 'Executors and futures',
    model: 'general',
    summary: 'A common pool interface: submit callables to a thread, process or (3.14+) interpreter pool '
      + 'and get Futures back.',
    gil: (py) => 'The pool decides the GIL story: threads share one GIL'
      + (isFreeThreaded(py) ? ' (not on this free-threaded build)' : ' on the default build')
      + ', while processes and interpreters each have their own.',
    pitfall: 'Calling `executor.submit(f)` and never looking at the Future: an exception raised in `f` is stored '
      + 'there and silently lost.',
    docsUrl: CF,
    relatedRules: ['PCC403', 'PCC404'],
  },
  {
    name: 'concurrent.futures.ThreadPoolExecutor',
    title: 'Thread pool',
    model: 'threads',
    summary: 'Runs submitted callables on a pool of reusable threads; `submit()` returns a Future and `map()` '
      + 'yields results in input order.',
    gil: threadsGil,
    pitfall: 'Using it to speed up pure-Python computation: on the default build only one worker computes at a '
      + 'time. Use ProcessPoolExecutor for CPU-bound work.',
    docsUrl: `${CF}#concurrent.futures.ThreadPoolExecutor`,
    relatedRules: ['PCC202', 'PCC207', 'PCC208', 'PCC403', 'PCC404'],
  },
  {
    name: 'concurrent.futures.ProcessPoolExecutor',
    title: 'Process pool',
    model: 'processes',
    summary: 'Runs submitted callables in worker processes so CPU-bound work uses several cores; '
      + 'functions, arguments and results are pickled.',
    gil: processGil,
    pitfall: 'Submitting a lambda or a function defined inside another function: it cannot be pickled, '
      + 'and the error only surfaces when the Future\'s result is read.',
    docsUrl: `${CF}#concurrent.futures.ProcessPoolExecutor`,
    relatedRules: ['PCC401', 'PCC402', 'PCC403', 'PCC404'],
  },
  {
    name: 'concurrent.futures.InterpreterPoolExecutor',
    title: 'Interpreter pool',
    model: 'interpreters',
    summary: 'A ThreadPoolExecutor whose worker threads each run an isolated interpreter with its own GIL, '
      + 'so CPU-bound Python code runs in parallel inside one process.',
    gil: (py) => gilBrief(py, 'interpreters'),
    pitfall: 'Expecting workers to share your module globals or objects: each interpreter is isolated, arguments and '
      + 'results are pickled, and some extension modules cannot be imported there yet.',
    since: '3.14',
    docsUrl: `${CF}#concurrent.futures.InterpreterPoolExecutor`,
    relatedRules: ['PCC403', 'PCC404'],
  },
  {
    name: 'concurrent.futures.Future',
    title: 'Future',
    model: 'general',
    summary: 'The handle for a call running in an executor: `result(timeout)` waits and returns the value or '
      + 're-raises the worker\'s exception; `done()` and `add_done_callback()` inspect it without waiting.',
    gil: 'Waiting in `result()` releases the GIL; the work itself follows the rules of the pool that runs it.',
    pitfall: 'Calling `future.result()` inside `async def`: it blocks the event loop until the worker finishes. '
      + 'Use `await asyncio.wrap_future(future)` or `loop.run_in_executor()`.',
    docsUrl: `${CF}#concurrent.futures.Future`,
    relatedRules: ['PCC106', 'PCC404'],
  },
  {
    name: 'concurrent.futures.as_completed',
    title: 'Futures as they finish',
    model: 'general',
    summary: 'Yields the given futures as they finish, fastest first, so each result can be handled as soon '
      + 'as it is ready.',
    gil: 'It only waits (releasing the GIL); how fast the futures finish depends on the pool behind them.',
    pitfall: 'Losing track of which input a result belongs to: they arrive in completion order. Keep '
      + '`{executor.submit(f, x): x for x in items}` and look each future up.',
    docsUrl: `${CF}#concurrent.futures.as_completed`,
    relatedRules: ['PCC404'],
  },
  {
    name: 'concurrent.futures.wait',
    title: 'Wait for futures',
    model: 'general',
    summary: 'Blocks until all, the first, or the first failing of the given futures is done (`return_when`) '
      + 'and returns two sets, `(done, not_done)`.',
    gil: 'It only waits (releasing the GIL); the work runs in the pool behind the futures.',
    pitfall: 'Assuming it raises when a worker failed: it does not. Call `f.result()` on each done future, '
      + 'or the errors go unnoticed.',
    docsUrl: `${CF}#concurrent.futures.wait`,
    relatedRules: ['PCC404'],
  },
];
