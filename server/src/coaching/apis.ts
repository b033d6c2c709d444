// The API catalog, keyed by fully qualified name, and the lookups hover needs.
//
// How hover is meant to use it (server/src/features/hover.ts):
// 1. Take the identifier or attribute chain under the cursor (`TPE`, `cf.wait`,
//    `asyncio.Queue`) and resolve it through the module's imports to a dotted
//    name (`import concurrent.futures as cf`, `from asyncio import Queue as AQ`).
//    A local binding that shadows the import is not the import.
// 2. `lookupApi(qualified)` finds the entry; it also accepts the submodule
//    spellings Python exposes (`multiprocessing.pool.Pool`, `asyncio.tasks.gather`).
// 3. For `x.run_in_executor`, when `x` was bound from one of LOOP_FACTORIES,
//    use `lookupLoopMethod('run_in_executor')`.
// 4. On the keywords `async` (of `async def`) and `await`, use KEYWORD_KEYS.
// 5. Render with `renderApiHover(entry, py, { written })` from hoverText.ts.
import { ApiEntry } from './apiTypes';
import { asyncioApis } from './apisAsyncio';
import { processApis } from './apisProcesses';
import { threadingApis } from './apisThreading';

export type { ApiEntry, PyText, RuleCode } from './apiTypes';
export { resolveText } from './apiTypes';

function byName(entries: ApiEntry[]): Readonly<Record<string, ApiEntry>> {
  const out: Record<string, ApiEntry> = {};
  for (const e of entries) {
    if (out[e.name]) throw new Error(`duplicate API entry ${e.name}`);
    out[e.name] = e;
  }
  return Object.freeze(out);
}

/** Every API the coach explains, keyed by fully qualified name. */
export const API_CATALOG: Readonly<Record<string, ApiEntry>> = byName([
  ...threadingApis,
  ...processApis,
  ...asyncioApis,
]);

/** Catalog keys for the two keywords. */
export const KEYWORD_KEYS = { async: 'keyword:async', await: 'keyword:await' } as const;

/** Calls whose result is an event loop, so `.run_in_executor` on it is the loop method. */
export const LOOP_FACTORIES: readonly string[] = [
  'asyncio.get_running_loop',
  'asyncio.get_event_loop',
  'asyncio.new_event_loop',
];

/** Where Python really defines some public names; both spellings reach the same entry. */
const SUBMODULE_ALIASES: Readonly<Record<string, string>> = {
  'multiprocessing.pool.Pool': 'multiprocessing.Pool',
  'multiprocessing.context.Process': 'multiprocessing.Process',
  'concurrent.futures.thread.ThreadPoolExecutor': 'concurrent.futures.ThreadPoolExecutor',
  'concurrent.futures.process.ProcessPoolExecutor': 'concurrent.futures.ProcessPoolExecutor',
  'concurrent.futures.interpreter.InterpreterPoolExecutor': 'concurrent.futures.InterpreterPoolExecutor',
  'concurrent.futures._base.Future': 'concurrent.futures.Future',
  'asyncio.runners.run': 'asyncio.run',
  'asyncio.runners.Runner': 'asyncio.Runner',
  'asyncio.tasks.gather': 'asyncio.gather',
  'asyncio.tasks.create_task': 'asyncio.create_task',
  'asyncio.tasks.wait': 'asyncio.wait',
  'asyncio.tasks.wait_for': 'asyncio.wait_for',
  'asyncio.tasks.sleep': 'asyncio.sleep',
  'asyncio.tasks.shield': 'asyncio.shield',
  'asyncio.tasks.as_completed': 'asyncio.as_completed',
  'asyncio.tasks.run_coroutine_threadsafe': 'asyncio.run_coroutine_threadsafe',
  'asyncio.taskgroups.TaskGroup': 'asyncio.TaskGroup',
  'asyncio.timeouts.timeout': 'asyncio.timeout',
  'asyncio.threads.to_thread': 'asyncio.to_thread',
  'asyncio.queues.Queue': 'asyncio.Queue',
  'asyncio.locks.Lock': 'asyncio.Lock',
  'asyncio.locks.Semaphore': 'asyncio.Semaphore',
  'asyncio.locks.Event': 'asyncio.Event',
  'asyncio.locks.Condition': 'asyncio.Condition',
  'asyncio.events.get_running_loop': 'asyncio.get_running_loop',
  'asyncio.events.AbstractEventLoop.run_in_executor': 'asyncio.AbstractEventLoop.run_in_executor',
};

/** The entry for a fully qualified name, or undefined. */
export function lookupApi(qualifiedName: string): ApiEntry | undefined {
  return API_CATALOG[qualifiedName] ?? API_CATALOG[SUBMODULE_ALIASES[qualifiedName] ?? ''];
}

/** The entry for a method called on an event loop object (`loop.run_in_executor`). */
export function lookupLoopMethod(method: string): ApiEntry | undefined {
  return API_CATALOG[`asyncio.AbstractEventLoop.${method}`];
}
