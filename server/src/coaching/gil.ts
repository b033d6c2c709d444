// What the GIL means for a given Python: one place that knows which build
// does what, so hovers and the guide never disagree.
//
// Facts used here (checked against the Python docs and PEPs):
// - default build: one thread runs Python bytecode at a time; blocking I/O and
//   many C extensions release the lock while they wait or compute.
// - 3.12: each sub-interpreter can have its own GIL (PEP 684).
// - 3.13: optional free-threaded build, experimental (PEP 703, `python3.13t`);
//   importing an extension not marked as free-thread-safe re-enables the GIL;
//   `sys._is_gil_enabled()` and `PYTHON_GIL` / `-X gil` exist from 3.13.
// - 3.14: the free-threaded build is officially supported but still optional
//   (PEP 779); `concurrent.futures.InterpreterPoolExecutor` is added.

import { DEFAULT_PYTHON as DEFAULT_TARGET, type PythonTarget } from '../pythonVersion';

export type ConcurrencyModel = 'threads' | 'asyncio' | 'processes' | 'interpreters' | 'general';

/**
 * The Python the user is assumed to run (version such as "3.12", free-threaded
 * or not) and where that came from. Same shape as the server's PythonTarget.
 */
export type PythonAssumption = PythonTarget;

/**
 * Used when neither a setting nor `requires-python` says otherwise.
 * 3.12 is a conservative, widely installed default build: it already has
 * TaskGroup and asyncio.timeout (3.11), so hovers do not warn about them,
 * and it assumes neither free-threading (3.13+) nor 3.14's forkserver default.
 */
export const DEFAULT_PYTHON: string = DEFAULT_TARGET.version;

/** First free-threaded release, and the release where it became supported. */
export const FREE_THREADED_SINCE = '3.13';
export const FREE_THREADED_SUPPORTED_SINCE = '3.14';

/** `"3.12"`, `"3.12.4"`, `">=3.12"` → `[3, 12]`; anything else → undefined. */
export function parseVersion(version: string): [number, number] | undefined {
  const m = /(\d+)\.(\d+)/.exec(version);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2])];
}

/** True when `a` is the same as or newer than `b` (major.minor only). Unparseable → false. */
export function versionAtLeast(a: string, b: string): boolean {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) return false;
  return x[0] !== y[0] ? x[0] > y[0] : x[1] >= y[1];
}

/** Free-threaded in effect: the flag is set and the version has such a build. */
export function isFreeThreaded(py: PythonAssumption): boolean {
  return py.freeThreaded && versionAtLeast(py.version, FREE_THREADED_SINCE);
}

function buildLabel(py: PythonAssumption): string {
  if (!isFreeThreaded(py)) return 'default build, with the GIL';
  return versionAtLeast(py.version, FREE_THREADED_SUPPORTED_SINCE)
    ? 'free-threaded build'
    : 'experimental free-threaded build';
}

function sourceLabel(py: PythonAssumption): string {
  switch (py.source) {
    case 'setting': return 'from the concurrencyCoach.pythonVersion setting';
    case 'pyproject': return 'from requires-python in pyproject.toml';
    default: return 'the default; set concurrencyCoach.pythonVersion or requires-python in pyproject.toml';
  }
}

/** One line: "Assuming Python 3.12 (default build, with the GIL), from requires-python in pyproject.toml." */
export function describeAssumption(py: PythonAssumption): string {
  const version = parseVersion(py.version)?.join('.') ?? py.version;
  let line = `Assuming Python ${version} (${buildLabel(py)}), ${sourceLabel(py)}.`;
  if (py.freeThreaded && !isFreeThreaded(py)) {
    line += ` There is no free-threaded build before ${FREE_THREADED_SINCE}, so the default build is assumed;`
      + ' set concurrencyCoach.pythonVersion to 3.13 or later for free-threading.';
  }
  return line;
}

/** What this build does with threads, in one or two sentences. */
export function describeBuild(py: PythonAssumption): string {
  if (!isFreeThreaded(py)) {
    let text = 'Only one thread runs Python bytecode at a time; blocking I/O and many C extensions '
      + '(hashlib, zlib, NumPy) release the GIL while they work, so other threads can run meanwhile.';
    if (versionAtLeast(py.version, FREE_THREADED_SINCE)) {
      text += ' An optional free-threaded build (PEP 703) also exists for this version.';
    }
    return text;
  }
  if (versionAtLeast(py.version, FREE_THREADED_SUPPORTED_SINCE)) {
    return 'No GIL: threads run Python code in parallel on several cores. The free-threaded build is '
      + 'officially supported since 3.14 (PEP 779) but still optional. Importing an extension module '
      + 'that is not marked free-thread-safe turns the GIL back on; `sys._is_gil_enabled()` tells you.';
  }
  return 'No GIL: threads run Python code in parallel. In 3.13 this build (PEP 703, `python3.13t`) is '
    + 'experimental and slower for single-threaded code; an extension module not marked free-thread-safe '
    + 're-enables the GIL; `sys._is_gil_enabled()` tells you.';
}

/** One or two sentences on what the GIL means for code written in `model`. */
export function gilBrief(py: PythonAssumption, model: ConcurrencyModel): string {
  const free = isFreeThreaded(py);
  switch (model) {
    case 'threads':
      return free
        ? 'On this free-threaded build threads run Python code in parallel, so CPU-bound work can speed up — '
          + 'and unsynchronised shared state breaks sooner.'
        : 'Threads take turns holding the GIL: they overlap I/O waits well, but pure-Python computation '
          + 'does not get faster with more threads.';
    case 'asyncio':
      return 'The GIL hardly matters here: the event loop runs every coroutine on one thread by design, '
        + 'so one blocking call stalls all tasks on any build.';
    case 'processes':
      return 'Sidesteps the GIL: each process has its own interpreter and GIL, so CPU-bound work uses several '
        + 'cores, at the cost of start-up time and pickling arguments and results.'
        + (free ? ' On this free-threaded build, threads are a lighter alternative for CPU-bound work.' : '');
    case 'interpreters':
      return 'Each interpreter has its own GIL (since 3.12, PEP 684), so interpreters in one process run Python '
        + 'code in parallel; they share no objects, so data is copied between them.';
    default:
      return describeBuild(py);
  }
}

const MODEL_DETAIL: Record<ConcurrencyModel, (py: PythonAssumption) => string> = {
  threads: (py) => gilBrief(py, 'threads')
    + ' The GIL never made compound steps like `counter += 1` atomic: shared state needs a lock on every build.',
  asyncio: (py) => gilBrief(py, 'asyncio')
    + ' Offload blocking calls with `asyncio.to_thread()`; for CPU-bound work use a process pool'
    + (isFreeThreaded(py) ? ' or, on this build, a thread pool.' : '.'),
  processes: (py) => gilBrief(py, 'processes'),
  interpreters: (py) => gilBrief(py, 'interpreters')
    + (versionAtLeast(py.version, '3.14')
      ? ' `concurrent.futures.InterpreterPoolExecutor` (3.14) is the easy way in.'
      : ' `concurrent.futures.InterpreterPoolExecutor` needs Python 3.14.'),
  general: () => 'Threads share one GIL on the default build; asyncio is single-threaded by design; '
    + 'multiprocessing sidesteps the GIL with one interpreter per process.',
};

/**
 * Markdown explaining the GIL for this Python and this concurrency model,
 * ending with which Python was assumed and why.
 */
export function describeGil(py: PythonAssumption, model: ConcurrencyModel): string {
  return [
    `**GIL:** ${describeBuild(py)}`,
    MODEL_DETAIL[model](py),
    `_${describeAssumption(py)}_`,
  ].join('\n\n');
}
